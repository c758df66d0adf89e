//! The check: a walk over sqlparser's tree that lets through only ADQL 2.1's constructs and
//! the type rules that need no catalogue, one module per construct, all methods of one
//! [`Validator`].

mod condition;
mod expr;
mod function;
mod geometry;
mod operand;
mod query;
mod relation;
mod select;
mod validator;

pub(crate) use validator::Validator;
