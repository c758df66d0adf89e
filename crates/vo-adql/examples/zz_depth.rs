fn main() {
    let args: Vec<String> = std::env::args().collect();
    let kind = args[1].clone();
    let n: usize = args[2].parse().unwrap();
    let stack: usize = args[3].parse().unwrap();
    let q = match kind.as_str() {
        "plus" => format!(
            "SELECT TOP 1 {} AS a FROM ivoa.obscore",
            vec!["1"; n].join("+")
        ),
        "or" => format!(
            "SELECT TOP 1 s_ra FROM ivoa.obscore WHERE {}",
            vec!["s_ra = 1"; n].join(" OR ")
        ),
        "contains" => format!(
            "SELECT TOP 1 s_ra FROM ivoa.obscore WHERE {}",
            vec!["1=CONTAINS(POINT('ICRS',s_ra,s_dec),CIRCLE('ICRS',1,2,3))"; n].join(" OR ")
        ),
        "concat" => format!(
            "SELECT TOP 1 {} AS a FROM ivoa.obscore",
            vec!["obs_id"; n].join("||")
        ),
        "not" => format!(
            "SELECT TOP 1 s_ra FROM ivoa.obscore WHERE {}s_ra > 1",
            "NOT ".repeat(n)
        ),
        "paren" => format!(
            "SELECT TOP 1 s_ra FROM ivoa.obscore WHERE {}s_ra > 1{}",
            "(".repeat(n),
            ")".repeat(n)
        ),
        "func" => format!(
            "SELECT TOP 1 {}s_ra{} FROM ivoa.obscore",
            "ABS(".repeat(n),
            ")".repeat(n)
        ),
        "sub" => format!(
            "SELECT TOP 1 s_ra FROM {}ivoa.obscore{}",
            "(SELECT s_ra FROM ".repeat(n),
            ") AS t".repeat(n)
        ),
        "exists" => format!(
            "SELECT TOP 1 s_ra FROM ivoa.obscore WHERE {}1=1{}",
            "EXISTS (SELECT s_ra FROM ivoa.obscore WHERE ".repeat(n),
            ")".repeat(n)
        ),
        "neg" => format!("SELECT TOP 1 {}s_ra FROM ivoa.obscore", "- ".repeat(n)),
        "cast" => format!(
            "SELECT TOP 1 {}s_ra{} FROM ivoa.obscore",
            "CAST(".repeat(n),
            " AS DOUBLE)".repeat(n)
        ),
        _ => panic!(),
    };
    let h = std::thread::Builder::new()
        .stack_size(stack)
        .spawn(move || {
            let cat = vo_catalogue::Catalogue::builtin();
            let r = vo_adql::translate(&q, &cat, &Default::default());
            match &r {
                Err(e) => eprintln!("{}", &e.to_string()[..e.to_string().len().min(150)]),
                _ => {}
            }
            r.is_ok()
        })
        .unwrap();
    println!("{:?}", h.join());
}
