//! ALMA's STC-S dialect for `s_region`.
//!
//! Grammar (keywords case-insensitive, frame optional and ICRS only):
//! ```text
//! region := 'Union' frame? '(' piece+ ')' | piece
//! piece  := shape ('Not' '(' shape ')')*
//! shape  := 'Circle' frame? ra dec radius | 'Polygon' frame? (ra dec){3,}
//!         | 'Box' frame? ra dec width height
//! ```
//! ALMA itself writes no `Box`; it is STC-S's form of an RA/Dec range ([`Shape::Range`],
//! centre and full widths in degrees, as ADQL's BOX), so a range is written and read back.
//! ALMA writes the frame only after the first keyword, coordinates with six decimals, and
//! `Not (` / `Union ICRS ( … )` spacing as reproduced by [`format_stcs`].

use crate::model::{Piece, Region, Shape};

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{message} (at character {offset})")]
pub struct StcsError {
    pub message: String,
    /// 0-based character offset into the input where the problem was found.
    pub offset: usize,
}

#[derive(Debug, Clone, PartialEq)]
enum Token<'a> {
    Word(&'a str),
    Open,
    Close,
}

fn tokenize(text: &str) -> Vec<(usize, Token<'_>)> {
    let mut tokens = Vec::new();
    let mut start: Option<usize> = None;
    for (i, ch) in text.char_indices() {
        let is_sep = ch.is_whitespace() || ch == '(' || ch == ')';
        if is_sep {
            if let Some(s) = start.take() {
                tokens.push((s, Token::Word(&text[s..i])));
            }
            if ch == '(' {
                tokens.push((i, Token::Open));
            } else if ch == ')' {
                tokens.push((i, Token::Close));
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(s) = start {
        tokens.push((s, Token::Word(&text[s..])));
    }
    tokens
}

struct Parser<'a> {
    tokens: Vec<(usize, Token<'a>)>,
    pos: usize,
    end: usize,
}

impl<'a> Parser<'a> {
    fn offset(&self) -> usize {
        self.tokens.get(self.pos).map(|t| t.0).unwrap_or(self.end)
    }

    fn error<T>(&self, message: impl Into<String>) -> Result<T, StcsError> {
        Err(StcsError {
            message: message.into(),
            offset: self.offset(),
        })
    }

    fn peek(&self) -> Option<&Token<'a>> {
        self.tokens.get(self.pos).map(|t| &t.1)
    }

    fn peek_keyword(&self, keyword: &str) -> bool {
        matches!(self.peek(), Some(Token::Word(w)) if w.eq_ignore_ascii_case(keyword))
    }

    fn expect(&mut self, token: Token<'static>, what: &str) -> Result<(), StcsError> {
        if self.peek() == Some(&token) {
            self.pos += 1;
            Ok(())
        } else {
            self.error(format!("expected {what}"))
        }
    }

    fn optional_frame(&mut self) -> Result<(), StcsError> {
        if let Some(Token::Word(w)) = self.peek() {
            if w.parse::<f64>().is_err() && !is_shape_keyword(w) && !w.eq_ignore_ascii_case("not") {
                if w.eq_ignore_ascii_case("ICRS") {
                    self.pos += 1;
                } else {
                    return self.error(format!("unsupported frame '{w}': only ICRS is supported"));
                }
            }
        }
        Ok(())
    }

    fn number(&mut self, what: &str) -> Result<f64, StcsError> {
        match self.peek() {
            Some(Token::Word(w)) => match w.parse::<f64>() {
                Ok(v) if v.is_finite() => {
                    self.pos += 1;
                    Ok(v)
                }
                _ => self.error(format!("expected {what}, found '{w}'")),
            },
            Some(_) => self.error(format!("expected {what}, found a parenthesis")),
            None => self.error(format!("expected {what}, found the end of the region")),
        }
    }

    fn numbers(&mut self) -> Vec<(usize, f64)> {
        let mut out = Vec::new();
        while let Some(Token::Word(w)) = self.peek() {
            match w.parse::<f64>() {
                Ok(v) => {
                    out.push((self.offset(), v));
                    self.pos += 1;
                }
                Err(_) => break,
            }
        }
        out
    }

    fn shape(&mut self) -> Result<Shape, StcsError> {
        let keyword = match self.peek() {
            Some(Token::Word(w)) => *w,
            _ => return self.error("expected Circle, Polygon or Box"),
        };
        let start = self.offset();
        if keyword.eq_ignore_ascii_case("circle") {
            self.pos += 1;
            self.optional_frame()?;
            let ra = self.number("the circle's RA in degrees")?;
            let dec = self.number("the circle's Dec in degrees")?;
            let radius = self.number("the circle's radius in degrees")?;
            check_dec(dec, start)?;
            if let Some(problem) = crate::radius_problem(radius) {
                return Err(StcsError {
                    message: problem,
                    offset: start,
                });
            }
            Ok(Shape::Circle {
                ra: ra.rem_euclid(360.0),
                dec,
                radius,
            })
        } else if keyword.eq_ignore_ascii_case("polygon") {
            self.pos += 1;
            self.optional_frame()?;
            let nums = self.numbers();
            if nums.len() % 2 != 0 {
                return Err(StcsError {
                    message: format!(
                        "polygon has an odd count of numbers ({}): each vertex needs RA and Dec",
                        nums.len()
                    ),
                    offset: nums.last().map(|n| n.0).unwrap_or(start),
                });
            }
            if nums.len() < 6 {
                return Err(StcsError {
                    message: "a polygon needs at least 3 vertices".into(),
                    offset: start,
                });
            }
            let mut vertices = Vec::with_capacity(nums.len() / 2);
            for pair in nums.chunks(2) {
                if !pair[0].1.is_finite() || !pair[1].1.is_finite() {
                    return Err(StcsError {
                        message: "polygon vertex is not a finite number".into(),
                        offset: pair[0].0,
                    });
                }
                check_dec(pair[1].1, pair[1].0)?;
                vertices.push((pair[0].1.rem_euclid(360.0), pair[1].1));
            }
            Ok(Shape::Polygon(vertices))
        } else if keyword.eq_ignore_ascii_case("box") {
            self.pos += 1;
            self.optional_frame()?;
            let ra = self.number("the box's central RA in degrees")?;
            let dec = self.number("the box's central Dec in degrees")?;
            let width = self.number("the box's width in degrees")?;
            let height = self.number("the box's height in degrees")?;
            if width < 0.0 || height < 0.0 {
                return Err(StcsError {
                    message: "a box's width and height must not be negative".into(),
                    offset: start,
                });
            }
            let (low, high) = (dec - height / 2.0, dec + height / 2.0);
            check_dec(low, start)?;
            check_dec(high, start)?;
            let span = width.min(360.0);
            Ok(Shape::Range {
                ra: (
                    (ra - span / 2.0).rem_euclid(360.0),
                    if span >= 360.0 {
                        (ra - span / 2.0).rem_euclid(360.0) + 360.0
                    } else {
                        (ra + span / 2.0).rem_euclid(360.0)
                    },
                ),
                dec: (low, high),
            })
        } else {
            self.error(format!(
                "unknown shape '{keyword}': expected Circle, Polygon, Box or Union"
            ))
        }
    }

    fn piece(&mut self) -> Result<Piece, StcsError> {
        let outer = self.shape()?;
        let mut holes = Vec::new();
        while self.peek_keyword("not") {
            self.pos += 1;
            self.expect(Token::Open, "'(' after Not")?;
            holes.push(self.shape()?);
            self.expect(Token::Close, "')' closing Not")?;
        }
        Ok(Piece { outer, holes })
    }

    fn region(&mut self) -> Result<Region, StcsError> {
        let region = if self.peek_keyword("union") {
            self.pos += 1;
            self.optional_frame()?;
            self.expect(Token::Open, "'(' after Union")?;
            let mut pieces = Vec::new();
            while !matches!(self.peek(), Some(Token::Close) | None) {
                pieces.push(self.piece()?);
            }
            self.expect(Token::Close, "')' closing Union")?;
            if pieces.is_empty() {
                return self.error("Union needs at least one shape");
            }
            Region { pieces }
        } else {
            Region {
                pieces: vec![self.piece()?],
            }
        };
        if self.pos != self.tokens.len() {
            return self.error("unexpected text after the region");
        }
        Ok(region)
    }
}

fn is_shape_keyword(w: &str) -> bool {
    ["circle", "polygon", "box", "union"]
        .iter()
        .any(|k| w.eq_ignore_ascii_case(k))
}

fn check_dec(dec: f64, offset: usize) -> Result<(), StcsError> {
    if (-90.0..=90.0).contains(&dec) {
        Ok(())
    } else {
        Err(StcsError {
            message: format!("declination {dec} is outside [-90, 90]"),
            offset,
        })
    }
}

/// Parses an `s_region` value in ALMA's STC-S dialect.
pub fn parse_stcs(text: &str) -> Result<Region, StcsError> {
    let tokens = tokenize(text);
    if tokens.is_empty() {
        return Err(StcsError {
            message: "empty region".into(),
            offset: 0,
        });
    }
    Parser {
        tokens,
        pos: 0,
        end: text.len(),
    }
    .region()
}

fn format_shape(out: &mut String, shape: &Shape, with_frame: bool) {
    let frame = if with_frame { " ICRS" } else { "" };
    match shape {
        Shape::Circle { ra, dec, radius } => {
            out.push_str(&format!("Circle{frame} {ra:.6} {dec:.6} {radius:.6}"))
        }
        Shape::Range { ra, dec } => {
            let span = crate::model::range_span(*ra);
            let centre = (ra.0 + span / 2.0).rem_euclid(360.0);
            out.push_str(&format!(
                "Box{frame} {centre:.6} {:.6} {span:.6} {:.6}",
                (dec.0 + dec.1) / 2.0,
                dec.1 - dec.0
            ))
        }
        Shape::Polygon(vertices) => {
            out.push_str(&format!("Polygon{frame}"));
            for (ra, dec) in vertices {
                out.push_str(&format!(" {ra:.6} {dec:.6}"));
            }
        }
    }
}

fn format_piece(out: &mut String, piece: &Piece, with_frame: bool) {
    format_shape(out, &piece.outer, with_frame);
    for hole in &piece.holes {
        out.push_str(" Not (");
        format_shape(out, hole, false);
        out.push(')');
    }
}

/// Formats a region the way ALMA writes `s_region`.
pub fn format_stcs(region: &Region) -> String {
    let mut out = String::new();
    if region.pieces.len() == 1 {
        format_piece(&mut out, &region.pieces[0], true);
    } else {
        out.push_str("Union ICRS ( ");
        for (i, piece) in region.pieces.iter().enumerate() {
            if i > 0 {
                out.push(' ');
            }
            format_piece(&mut out, piece, false);
        }
        out.push(')');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_circle_and_roundtrips() {
        let text = "Circle ICRS 337.250736 -69.175076 0.008223";
        let region = parse_stcs(text).unwrap();
        assert_eq!(
            region,
            Region::single(Shape::Circle {
                ra: 337.250736,
                dec: -69.175076,
                radius: 0.008223
            })
        );
        assert_eq!(format_stcs(&region), text);
    }

    #[test]
    fn keywords_are_case_insensitive_and_frame_optional() {
        let region = parse_stcs("polygon 1 2 3 4 5 6").unwrap();
        assert_eq!(
            region.pieces[0].outer,
            Shape::Polygon(vec![(1.0, 2.0), (3.0, 4.0), (5.0, 6.0)])
        );
        assert!(parse_stcs("CIRCLE icrs 1 2 3").is_ok());
    }

    #[test]
    fn a_range_is_written_as_a_box_and_read_back() {
        let range = Region::single(Shape::Range {
            ra: (350.0, 10.0),
            dec: (-5.0, 5.0),
        });
        let text = format_stcs(&range);
        assert_eq!(text, "Box ICRS 0.000000 0.000000 20.000000 10.000000");
        assert_eq!(parse_stcs(&text).unwrap(), range);
        let all_ra = parse_stcs("Box 180 0 360 20").unwrap();
        assert_eq!(
            all_ra.pieces[0].outer,
            Shape::Range {
                ra: (0.0, 360.0),
                dec: (-10.0, 10.0)
            }
        );
        let e = parse_stcs("Box ICRS 10 85 2 20").unwrap_err();
        assert!(e.message.contains("declination 95"), "{e}");
    }

    #[test]
    fn union_with_hole() {
        let text = "Union ICRS ( Polygon 1.000000 1.000000 2.000000 1.000000 2.000000 2.000000 Not (Polygon 1.500000 1.200000 1.600000 1.200000 1.600000 1.300000) Circle 10.000000 10.000000 0.100000)";
        let region = parse_stcs(text).unwrap();
        assert_eq!(region.pieces.len(), 2);
        assert_eq!(region.pieces[0].holes.len(), 1);
        assert_eq!(format_stcs(&region), text);
    }

    #[test]
    fn errors_name_the_problem_and_position() {
        let e = parse_stcs("Polygon ICRS 1 2 3 4 5").unwrap_err();
        assert!(e.message.contains("odd count"), "{e}");
        let e = parse_stcs("Circle ICRS 1 95 0.1").unwrap_err();
        assert!(e.message.contains("declination 95"), "{e}");
        let e = parse_stcs("Circle GALACTIC 1 2 0.1").unwrap_err();
        assert_eq!(e.offset, 7);
        assert!(e.message.contains("only ICRS"));
        let e = parse_stcs("Ellipse ICRS 1 2 3 4 5").unwrap_err();
        assert!(e.message.contains("unknown shape 'Ellipse'"));
        let e = parse_stcs("Union ICRS ( Polygon 1 1 2 1 2 2").unwrap_err();
        assert!(e.message.contains("')' closing Union"), "{e}");
        assert!(parse_stcs("   ").is_err());
        assert!(parse_stcs("Circle ICRS 1 2 0.1 extra").is_err());
        assert!(parse_stcs("Circle ICRS 1 2 NaN").is_err());
    }
}
