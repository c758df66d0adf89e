//! The tokens of a query of the common shape, read without sqlparser's tokenizer: names,
//! keywords, numbers, strings, delimited names and the plain operators, with the positions
//! sqlparser gives them. Anything else — comments, prefixed strings (`N'…'`, `X'…'`),
//! operators of two or more characters beyond `<=`, `>=`, `<>`, `!=` and `||`, any other
//! character outside a string or name — gives `None`, and sqlparser's tokenizer reads the
//! query instead. White space is left out (the parser only steps over it).
//!
//! Why: sqlparser's tokenizer, with its white-space tokens, keyword binary search and
//! per-character location, was a fifth of a client query's translation (`cargo bench -p
//! vo-adql --bench translate`). A test reads the ADQL corpus, the client queries and the fuzz
//! inputs both ways and requires the same tokens, spans included.

use sqlparser::keywords::{Keyword, ALL_KEYWORDS, ALL_KEYWORDS_INDEX};
use sqlparser::tokenizer::{Location, Span, Token, TokenWithSpan, Word};
use std::collections::HashMap;
use std::sync::LazyLock;

/// sqlparser's keywords by their upper-case spelling.
static KEYWORDS: LazyLock<HashMap<&'static [u8], Keyword>> = LazyLock::new(|| {
    ALL_KEYWORDS
        .iter()
        .zip(ALL_KEYWORDS_INDEX)
        .map(|(word, keyword)| (word.as_bytes(), *keyword))
        .collect()
});

/// The longest keyword sqlparser knows, in bytes: a longer word is not one.
const LONGEST_KEYWORD: usize = 40;

fn keyword(word: &str) -> Keyword {
    let mut upper = [0u8; LONGEST_KEYWORD];
    if word.len() > LONGEST_KEYWORD {
        return Keyword::NoKeyword;
    }
    for (u, b) in upper.iter_mut().zip(word.bytes()) {
        *u = b.to_ascii_uppercase();
    }
    KEYWORDS
        .get(&upper[..word.len()])
        .copied()
        .unwrap_or(Keyword::NoKeyword)
}

/// Characters that may continue an operator: after a one-character operator, or one of the
/// five two-character ones, such a character means a longer operator or a comment.
fn continues_operator(c: char) -> bool {
    matches!(
        c,
        '+' | '-'
            | '*'
            | '/'
            | '<'
            | '>'
            | '='
            | '!'
            | '|'
            | '&'
            | '@'
            | '#'
            | '~'
            | '^'
            | '%'
            | '?'
            | ':'
            | '$'
    )
}

/// The query's characters with sqlparser's location (line, and column counted in characters).
struct Cursor<'a> {
    text: &'a str,
    /// Byte offset of the next character.
    at: usize,
    line: u64,
    column: u64,
}

impl<'a> Cursor<'a> {
    fn peek(&self) -> Option<char> {
        self.text[self.at..].chars().next()
    }

    fn peek_second(&self) -> Option<char> {
        let mut chars = self.text[self.at..].chars();
        chars.next();
        chars.next()
    }

    fn next(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.at += c.len_utf8();
        if c == '\n' {
            self.line += 1;
            self.column = 1;
        } else {
            self.column += 1;
        }
        Some(c)
    }

    fn location(&self) -> Location {
        Location::new(self.line, self.column)
    }

    /// Takes the run of ASCII characters `keep` accepts.
    fn take_while(&mut self, keep: impl Fn(u8) -> bool) -> &'a str {
        let text: &'a str = self.text;
        let start = self.at;
        let run = text.as_bytes()[start..]
            .iter()
            .take_while(|&&b| keep(b))
            .count();
        // ASCII only: one column each, no new line
        self.at += run;
        self.column += run as u64;
        &text[start..self.at]
    }

    /// The body of a quoted string or name after its opening quote, a doubled quote read as
    /// one; None when the quote never closes.
    fn quoted(&mut self, quote: char) -> Option<String> {
        let mut value = String::new();
        loop {
            let c = self.next()?;
            if c == quote {
                if self.peek() == Some(quote) {
                    self.next();
                } else {
                    return Some(value);
                }
            }
            value.push(c);
        }
    }
}

/// The query's tokens without white space, when every token is one of the common kinds.
pub(crate) fn tokenize(text: &str) -> Option<Vec<TokenWithSpan>> {
    let mut cursor = Cursor {
        text,
        at: 0,
        line: 1,
        column: 1,
    };
    let mut tokens = Vec::with_capacity(text.len() / 4);
    while let Some(c) = cursor.peek() {
        if matches!(c, ' ' | '\t' | '\n' | '\r') {
            cursor.next();
            continue;
        }
        let start = cursor.location();
        let token = match c {
            'a'..='z' | 'A'..='Z' | '_' => {
                let value = cursor.take_while(|b| b.is_ascii_alphanumeric() || b == b'_');
                // a prefixed string (N'…', X'…') or a character set introducer
                if matches!(cursor.peek(), Some('\'' | '"' | '&')) {
                    return None;
                }
                Token::Word(Word {
                    keyword: keyword(value),
                    value: value.to_string(),
                    quote_style: None,
                })
            }
            '"' => {
                cursor.next();
                Token::Word(Word {
                    value: cursor.quoted('"')?,
                    quote_style: Some('"'),
                    keyword: Keyword::NoKeyword,
                })
            }
            '\'' => {
                cursor.next();
                Token::SingleQuotedString(cursor.quoted('\'')?)
            }
            '0'..='9' | '.' => {
                if c == '.' && !cursor.peek_second().is_some_and(|d| d.is_ascii_digit()) {
                    // `._` after a name is sqlparser's own case
                    if cursor.peek_second() == Some('_') {
                        return None;
                    }
                    cursor.next();
                    Token::Period
                } else {
                    number(&mut cursor)?
                }
            }
            '(' | ')' | ',' | ';' => {
                cursor.next();
                match c {
                    '(' => Token::LParen,
                    ')' => Token::RParen,
                    ',' => Token::Comma,
                    _ => Token::SemiColon,
                }
            }
            '+' | '-' | '*' | '/' | '=' | '<' | '>' | '!' | '|' => {
                cursor.next();
                let second = cursor.peek();
                let token = match (c, second) {
                    ('<', Some('=')) => Some(Token::LtEq),
                    ('<', Some('>')) => Some(Token::Neq),
                    ('>', Some('=')) => Some(Token::GtEq),
                    ('!', Some('=')) => Some(Token::Neq),
                    ('|', Some('|')) => Some(Token::StringConcat),
                    _ => None,
                };
                let token = match token {
                    Some(t) => {
                        cursor.next();
                        t
                    }
                    None => match c {
                        '+' => Token::Plus,
                        '-' => Token::Minus,
                        '*' => Token::Mul,
                        '/' => Token::Div,
                        '=' => Token::Eq,
                        '<' => Token::Lt,
                        '>' => Token::Gt,
                        // a lone '!' or '|'
                        _ => return None,
                    },
                };
                if cursor.peek().is_some_and(continues_operator) {
                    return None;
                }
                token
            }
            _ => return None,
        };
        tokens.push(TokenWithSpan::new(
            token,
            Span::new(start, cursor.location()),
        ));
    }
    Some(tokens)
}

/// A number as sqlparser reads it: digits, one period, digits, and an exponent when digits
/// follow its `e`. None for a hexadecimal `0x…` or a `…L` long.
fn number(cursor: &mut Cursor) -> Option<Token> {
    let mut value = cursor.take_while(|b| b.is_ascii_digit()).to_string();
    if value == "0" && cursor.peek() == Some('x') {
        return None;
    }
    if cursor.peek() == Some('.') {
        cursor.next();
        value.push('.');
        value.push_str(cursor.take_while(|b| b.is_ascii_digit()));
    }
    if let Some(e @ ('e' | 'E')) = cursor.peek() {
        let rest = &cursor.text.as_bytes()[cursor.at + 1..];
        let sign = matches!(rest.first(), Some(b'+' | b'-')) as usize;
        if rest.get(sign).is_some_and(u8::is_ascii_digit) {
            cursor.next();
            value.push(e);
            if sign == 1 {
                value.push(cursor.next()?);
            }
            value.push_str(cursor.take_while(|b| b.is_ascii_digit()));
        }
    }
    if cursor.peek() == Some('L') {
        return None;
    }
    Some(Token::Number(value, false))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_longest_keyword_fits() {
        assert!(ALL_KEYWORDS.iter().all(|k| k.len() <= LONGEST_KEYWORD));
        assert_eq!(keyword("select"), Keyword::SELECT);
        assert_eq!(keyword("s_region"), Keyword::NoKeyword);
    }

    #[test]
    fn the_tokens_and_spans_are_sqlparsers() {
        let (mut read, mut left) = (0, 0);
        for text in crate::parity_texts::texts() {
            let Some(ours) = tokenize(&text) else {
                left += 1;
                continue;
            };
            read += 1;
            let theirs = crate::tokens::tokenize(&crate::AdqlDialect, &text)
                .unwrap_or_else(|e| panic!("{text}: read here, refused by sqlparser: {e}"));
            assert_eq!(ours.len(), theirs.len(), "{text}");
            for (a, b) in ours.iter().zip(&theirs) {
                // (a span compares equal to any other; its ends are what must agree)
                assert_eq!(
                    (&a.token, a.span.start, a.span.end),
                    (&b.token, b.span.start, b.span.end),
                    "{text}"
                );
            }
        }
        // most queries are read here, and the others were compared too
        assert!(
            read > 1000 && left > 100,
            "{read} read, {left} left to sqlparser"
        );
    }

    #[test]
    fn what_is_not_read_here_goes_to_sqlparser() {
        for text in [
            "SELECT a -- a comment\nFROM t",
            "SELECT /* a comment */ a FROM t",
            "SELECT N'text' FROM t",
            "SELECT X'00' FROM t",
            "SELECT 0x1F FROM t",
            "SELECT a::int FROM t",
            "SELECT a FROM t WHERE b => 1",
            "SELECT 'unterminated FROM t",
            "SELECT \"unterminated FROM t",
            "SELECT a FROM t WHERE b ~ 'x'",
            "SELECT café FROM t",
        ] {
            assert!(tokenize(text).is_none(), "{text}");
        }
        let tokens =
            tokenize("SELECT\n  \"a\"\"b\", 'it''s', 1.5e-3, .5, 2. FROM t WHERE x<>1").unwrap();
        // (sqlparser shows a token's value as it is, its quotes not doubled again)
        let seen: Vec<String> = tokens.iter().map(|t| t.token.to_string()).collect();
        assert_eq!(
            seen,
            [
                "SELECT", "\"a\"b\"", ",", "'it's'", ",", "1.5e-3", ",", ".5", ",", "2.", "FROM",
                "t", "WHERE", "x", "<>", "1"
            ]
        );
        assert_eq!(tokens[1].span.start, Location::new(2, 3));
    }
}
