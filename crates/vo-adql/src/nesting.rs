//! How deep a query's syntax tree will be, known from its tokens before it is parsed.
//!
//! The parser builds a chain such as `1+1+1+…` or `a OR b OR …` in a loop, without recursion,
//! as a tree as deep as the chain is long; every later walk over that tree (validation,
//! translation, even dropping it) recurses once per level. A query of a few kilobytes could
//! thus exhaust a thread's stack. So the depth is bounded from the tokens first, and a query
//! deeper than [`MAX_NESTING`] is refused with the place where it gets too deep.
//!
//! The bound follows how the parser groups operators (precedence climbing): within one list
//! item (between commas, inside one pair of parentheses), the path from the item's root to any
//! operand passes through at most as many operators of each precedence class as occur in a
//! row without an operator of a lower class between them. Parenthesised groups add their own
//! depth plus one; UNION/EXCEPT/INTERSECT chain whole queries, across commas. Classes are
//! merged wherever unsure, which only makes the bound larger.

use crate::error::AdqlError;
use sqlparser::keywords::Keyword;
use sqlparser::tokenizer::{Location, Token, TokenWithSpan};

/// The deepest syntax tree a query may have: each operator of a chain (`a OR b OR …`,
/// `1 + 2 + …`), each pair of parentheses and each function call or subquery adds a level.
pub const MAX_NESTING: usize = 1000;

/// Precedence classes, lowest first, as sqlparser's default precedences order the infix
/// operators it parses in a loop (each a contiguous range of them, so that an operator
/// resets only runs of truly higher ones): OR (5), AND (10), comparisons and the like
/// (NOT 15, IS 17, LIKE 19, =/BETWEEN/IN 20), XOR and the bitwise and JSON operators
/// (21–24), + and − (30), ×, / and || (40), AT TIME ZONE (41), `.` (100). Anything else
/// that is not an operand is class [`CLASSES`]: counted at every occurrence, never reset.
const CLASSES: usize = 8;

/// The precedence class of a token, or `None` for an operand or punctuation. Words are
/// operands unless they are one of the parser's infix keywords (a column may be called
/// `type`, `size` or `match`: counting those is merely cautious).
fn class(token: &Token, closes_between: bool) -> Option<usize> {
    Some(match token {
        Token::Word(w) => match w.keyword {
            Keyword::OR => 0,
            // the AND of `x BETWEEN a AND b` belongs to BETWEEN, not to a logical chain
            Keyword::AND if closes_between => 2,
            Keyword::AND => 1,
            Keyword::NOT
            | Keyword::NOTNULL
            | Keyword::IS
            | Keyword::LIKE
            | Keyword::ILIKE
            | Keyword::RLIKE
            | Keyword::REGEXP
            | Keyword::MATCH
            | Keyword::GLOB
            | Keyword::SIMILAR
            | Keyword::MEMBER
            | Keyword::BETWEEN
            | Keyword::IN
            | Keyword::OVERLAPS
            | Keyword::OPERATOR
            | Keyword::ESCAPE
            | Keyword::COLLATE => 2,
            Keyword::XOR => 3,
            Keyword::DIV => 5,
            Keyword::AT => 6,
            _ => return None,
        },
        Token::Eq
        | Token::DoubleEq
        | Token::Neq
        | Token::Lt
        | Token::Gt
        | Token::LtEq
        | Token::GtEq
        | Token::Spaceship
        | Token::Assignment => 2,
        Token::Plus | Token::Minus => 4,
        Token::Mul | Token::Div | Token::StringConcat | Token::DuckIntDiv => 5,
        Token::Period => 7,
        Token::Number(..)
        | Token::SingleQuotedString(_)
        | Token::Whitespace(_)
        | Token::Comma
        | Token::LParen
        | Token::RParen
        | Token::SemiColon
        | Token::EOF => return None,
        _ => CLASSES,
    })
}

fn is_set_operation(token: &Token) -> bool {
    matches!(token, Token::Word(w) if matches!(w.keyword, Keyword::UNION | Keyword::EXCEPT | Keyword::INTERSECT | Keyword::MINUS))
}

/// One list item being read: its operator runs per class and the deepest group inside it.
#[derive(Default, Clone)]
struct Item {
    runs: [usize; CLASSES + 1],
    longest: [usize; CLASSES + 1],
    deepest_group: usize,
}

impl Item {
    fn depth(&self) -> usize {
        self.longest.iter().sum::<usize>() + self.deepest_group
    }

    fn operator(&mut self, class: usize) {
        if class < CLASSES {
            for run in &mut self.runs[class + 1..CLASSES] {
                *run = 0;
            }
        }
        self.runs[class] += 1;
        self.longest[class] = self.longest[class].max(self.runs[class]);
    }
}

/// One pair of parentheses (or the whole query): its deepest finished item, the item being
/// read, its set operations, and BETWEENs still waiting for their AND.
#[derive(Default)]
struct Group {
    deepest_item: usize,
    item: Item,
    set_operations: usize,
    open_betweens: usize,
}

impl Group {
    fn depth(&self) -> usize {
        self.deepest_item.max(self.item.depth()) + self.set_operations
    }

    fn end_item(&mut self) {
        self.deepest_item = self.deepest_item.max(self.item.depth());
        self.item = Item::default();
    }
}

fn too_deep(at: Location) -> AdqlError {
    AdqlError::at(
        format!(
            "the query nests deeper than this service's limit of {MAX_NESTING} levels here \
             (each operator of a chain such as a OR b OR … or 1 + 2 + …, each parenthesis, \
             function call and subquery adds one)"
        ),
        at,
    )
    .with_hint("for a long list of values use IN (…), or upload the values as a table (TAP_UPLOAD)")
}

/// Refuses a query whose syntax tree would be deeper than [`MAX_NESTING`].
pub(crate) fn check_nesting(tokens: &[TokenWithSpan]) -> Result<(), AdqlError> {
    // the innermost open group, and the groups around it with the levels each one starts at
    // (what encloses a group stays as it is while the group is open)
    let mut group = Group::default();
    let mut enclosing: Vec<(Group, usize)> = Vec::new();
    let mut base = 0;
    for t in tokens {
        match &t.token {
            Token::LParen => {
                let start = base + group.depth() + 1;
                enclosing.push((std::mem::take(&mut group), base));
                base = start;
            }
            Token::RParen if !enclosing.is_empty() => {
                let inner = group.depth() + 1;
                (group, base) = enclosing.pop().expect("not empty");
                group.item.deepest_group = group.item.deepest_group.max(inner);
            }
            Token::Comma => group.end_item(),
            token if is_set_operation(token) => group.set_operations += 1,
            token => {
                let closes_between = group.open_betweens > 0
                    && matches!(token, Token::Word(w) if w.keyword == Keyword::AND);
                if let Some(class) = class(token, closes_between) {
                    group.item.operator(class);
                }
                match token {
                    Token::Word(w) if w.keyword == Keyword::BETWEEN => group.open_betweens += 1,
                    _ if closes_between => group.open_betweens -= 1,
                    _ => {}
                }
            }
        }
        if base + group.depth() > MAX_NESTING {
            return Err(too_deep(t.span.start));
        }
    }
    // unbalanced parentheses: the parser reports them
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlparser::tokenizer::Tokenizer;

    fn depth_ok(adql: &str) -> Result<(), AdqlError> {
        let tokens = Tokenizer::new(&crate::AdqlDialect, adql)
            .tokenize_with_location()
            .unwrap();
        check_nesting(&tokens)
    }

    fn chain(term: &str, op: &str, n: usize) -> String {
        vec![term; n].join(op)
    }

    #[test]
    fn chains_up_to_the_limit_pass_and_longer_ones_are_refused_where_they_get_too_deep() {
        for op in ["+", " OR ", " AND ", "||", "*"] {
            let fine = format!("SELECT {} FROM t", chain("1", op, MAX_NESTING - 10));
            depth_ok(&fine).unwrap_or_else(|e| panic!("{op}: {e}"));
            let deep = format!("SELECT {} FROM t", chain("1", op, 5000));
            let e = depth_ok(&deep).unwrap_err();
            assert!(e.message.contains("limit of 1000 levels"), "{e}");
            assert_eq!(e.line, 1);
            // at the chain's 1001st operator
            let step = (op.len() + 1) as u64;
            assert!(
                e.column > 1000 * step && e.column < 1001 * step + 10,
                "{op}: {e}"
            );
        }
    }

    #[test]
    fn a_comparison_per_alternative_counts_once() {
        // x = 1 OR x = 2 OR …: as deep as the ORs, not twice that
        let alternatives = chain("x = 'a' ", " OR ", MAX_NESTING - 10);
        depth_ok(&format!("SELECT a FROM t WHERE {alternatives}")).unwrap();
        let betweens = chain("x BETWEEN 1 AND 2", " AND ", MAX_NESTING - 10);
        depth_ok(&format!("SELECT a FROM t WHERE {betweens}")).unwrap();
    }

    #[test]
    fn commas_separate_items_but_not_set_operations() {
        let items = vec!["a + b + c"; 5000].join(", ");
        depth_ok(&format!("SELECT {items} FROM t")).unwrap();
        let in_list = vec!["'x'"; 5000].join(", ");
        depth_ok(&format!("SELECT a FROM t WHERE a IN ({in_list})")).unwrap();
        let unions = vec!["SELECT a, b FROM t"; 2000].join(" UNION ");
        assert!(depth_ok(&unions).is_err());
    }

    #[test]
    fn groups_add_their_depth_to_the_chain_around_them() {
        let inner = chain("1", "+", 600);
        let outer = chain("2", "+", 600);
        assert!(depth_ok(&format!("SELECT ({inner}) + {outer} FROM t")).is_err());
        assert!(depth_ok(&format!("SELECT ({inner}), {outer} FROM t")).is_ok());
        let parens = format!("{}1{}", "(".repeat(2000), ")".repeat(2000));
        assert!(depth_ok(&format!("SELECT {parens} FROM t")).is_err());
    }

    #[test]
    fn keyword_operators_count_as_operators() {
        for op in [
            " XOR ",
            " REGEXP ",
            " RLIKE ",
            " AT TIME ZONE ",
            " NOT LIKE ",
            " IS NOT ",
        ] {
            let deep = format!("SELECT {} FROM t", chain("a", op, 3000));
            assert!(depth_ok(&deep).is_err(), "{op}");
        }
        // x = y XOR z = …: XOR binds tighter than =, so the = chain is the deep one
        let mixed = chain("a = b", " XOR ", 3000);
        assert!(depth_ok(&format!("SELECT {mixed} FROM t")).is_err());
    }

    #[test]
    fn a_between_chain_cannot_hide_behind_its_ands() {
        // x = y BETWEEN 1 AND 2 = z …: the ANDs belong to BETWEEN, the = chain is real
        let tricky = chain("x BETWEEN 1 AND 2", " = ", 3000);
        assert!(depth_ok(&format!("SELECT a FROM t WHERE {tricky}")).is_err());
    }
}
