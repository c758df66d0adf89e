//! Parquet (`application/vnd.apache.parquet`): rows gathered into row groups of bounded size,
//! each written out as soon as it is full, so memory stays small whatever the row count.
//! Scalars are optional columns (INT16/INT32/INT64 as declared, FLOAT, DOUBLE, BOOLEAN,
//! UTF-8 strings); numeric arrays are 3-level LISTs. The VOTable metadata (units, UCDs,
//! utypes, xtypes, descriptions, and the final QUERY_STATUS) travels in the footer as the
//! IVOA VO-Parquet convention has it (`IVOA.VOTable-Parquet.content`), which TOPCAT reads.

use crate::field::Shape;
use crate::{Cell, Datatype, Ending, Field, ResultMeta, ResultWriter};
use parquet::basic::{ConvertedType, LogicalType, Repetition, Type as Physical};
use parquet::data_type::{
    BoolType, ByteArray, ByteArrayType, DoubleType, FloatType, Int32Type, Int64Type,
};
use parquet::file::metadata::KeyValue;
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::types::Type;
use std::sync::Arc;

/// A row group is written when it holds this many rows or about this many bytes.
const GROUP_ROWS: usize = 65_536;
const GROUP_BYTES: usize = 16 << 20;

enum Values {
    Bool(Vec<bool>),
    Int32(Vec<i32>),
    Int64(Vec<i64>),
    Float(Vec<f32>),
    Double(Vec<f64>),
    /// The row group's strings one after another, and where each ends: one buffer for the
    /// column instead of one allocation a value.
    Text {
        bytes: Vec<u8>,
        ends: Vec<usize>,
    },
}

/// One column of the row group being gathered.
struct Column {
    values: Values,
    definition: Vec<i16>,
    /// Only for lists.
    repetition: Option<Vec<i16>>,
}

pub(crate) struct ParquetWriter {
    meta: ResultMeta,
    file: Option<SerializedFileWriter<Vec<u8>>>,
    columns: Vec<Column>,
    rows: usize,
    bytes: usize,
    failed: Option<String>,
}

fn is_list(field: &Field) -> bool {
    !field.datatype.is_text() && field.shape() != Shape::Scalar
}

fn element_type(name: &str, datatype: Datatype, repetition: Repetition) -> Type {
    let (physical, converted) = match datatype {
        Datatype::Boolean => (Physical::BOOLEAN, ConvertedType::NONE),
        Datatype::Short => (Physical::INT32, ConvertedType::INT_16),
        Datatype::Int => (Physical::INT32, ConvertedType::NONE),
        Datatype::Long => (Physical::INT64, ConvertedType::NONE),
        Datatype::Float => (Physical::FLOAT, ConvertedType::NONE),
        Datatype::Double => (Physical::DOUBLE, ConvertedType::NONE),
        Datatype::Char | Datatype::UnicodeChar => (Physical::BYTE_ARRAY, ConvertedType::UTF8),
    };
    Type::primitive_type_builder(name, physical)
        .with_repetition(repetition)
        .with_converted_type(converted)
        .build()
        .expect("a plain primitive type is valid")
}

fn schema(fields: &[Field]) -> parquet::errors::Result<Type> {
    let mut columns = Vec::new();
    for field in fields {
        let column = if is_list(field) {
            let element = element_type("element", field.datatype, Repetition::OPTIONAL);
            let list = Type::group_type_builder("list")
                .with_repetition(Repetition::REPEATED)
                .with_fields(vec![Arc::new(element)])
                .build()?;
            Type::group_type_builder(&field.name)
                .with_repetition(Repetition::OPTIONAL)
                .with_logical_type(Some(LogicalType::List))
                .with_fields(vec![Arc::new(list)])
                .build()?
        } else {
            element_type(&field.name, field.datatype, Repetition::OPTIONAL)
        };
        columns.push(Arc::new(column));
    }
    Type::group_type_builder("results")
        .with_fields(columns)
        .build()
}

/// How the file is written: parquet's defaults (dictionaries, page statistics), but no
/// minimum and maximum for text columns: comparing every value byte by byte was, with the
/// dictionaries' own comparisons, the largest item of a million-row dump's profile.
fn properties(fields: &[Field]) -> WriterProperties {
    fields
        .iter()
        .filter(|f| f.datatype.is_text())
        .fold(WriterProperties::builder(), |builder, f| {
            builder.set_column_statistics_enabled(
                parquet::schema::types::ColumnPath::from(f.name.as_str()),
                parquet::file::properties::EnabledStatistics::None,
            )
        })
        .build()
}

fn empty_column(field: &Field) -> Column {
    let values = match field.datatype {
        Datatype::Boolean => Values::Bool(Vec::new()),
        Datatype::Short | Datatype::Int => Values::Int32(Vec::new()),
        Datatype::Long => Values::Int64(Vec::new()),
        Datatype::Float => Values::Float(Vec::new()),
        Datatype::Double => Values::Double(Vec::new()),
        Datatype::Char | Datatype::UnicodeChar => Values::Text {
            bytes: Vec::new(),
            ends: Vec::new(),
        },
    };
    Column {
        values,
        definition: Vec::new(),
        repetition: is_list(field).then(Vec::new),
    }
}

impl Values {
    /// Adds one number (or boolean); returns its approximate size.
    fn push_number(&mut self, int: Option<i64>, float: f64) -> usize {
        match self {
            Values::Bool(v) => v.push(int.unwrap_or(0) != 0),
            Values::Int32(v) => v.push(int.unwrap_or(0) as i32),
            Values::Int64(v) => v.push(int.unwrap_or(0)),
            Values::Float(v) => v.push(float as f32),
            Values::Double(v) => v.push(float),
            Values::Text { .. } => unreachable!("text columns hold no numbers"),
        }
        8
    }

    /// Adds a scalar cell; returns its approximate size.
    fn push_cell(&mut self, field: &Field, cell: &Cell) -> usize {
        match self {
            Values::Text { bytes, ends } => {
                let text = crate::text::cell_text(field, cell);
                bytes.extend_from_slice(text.as_bytes());
                ends.push(bytes.len());
                text.len() + 16
            }
            numbers => {
                let (int, float) = cell.scalar();
                numbers.push_number(int, float)
            }
        }
    }
}

impl ParquetWriter {
    pub fn new(meta: ResultMeta) -> ParquetWriter {
        let columns = meta.fields.iter().map(empty_column).collect();
        let file = schema(&meta.fields).and_then(|s| {
            SerializedFileWriter::new(
                Vec::with_capacity(1 << 20),
                Arc::new(s),
                Arc::new(properties(&meta.fields)),
            )
        });
        let (file, failed) = match file {
            Ok(f) => (Some(f), None),
            Err(e) => (None, Some(format!("cannot write Parquet: {e}"))),
        };
        ParquetWriter {
            meta,
            file,
            columns,
            rows: 0,
            bytes: 0,
            failed,
        }
    }

    fn gather(&mut self, cells: &[Cell]) {
        for (i, field) in self.meta.fields.iter().enumerate() {
            let cell = cells.get(i).unwrap_or(&Cell::Null);
            let column = &mut self.columns[i];
            match column.repetition.as_mut() {
                None => {
                    if matches!(cell, Cell::Null) {
                        column.definition.push(0);
                    } else {
                        column.definition.push(1);
                        self.bytes += column.values.push_cell(field, cell);
                    }
                }
                Some(repetition) => {
                    if matches!(cell, Cell::Null) {
                        column.definition.push(0);
                        repetition.push(0);
                        continue;
                    }
                    let elements = cell.elements();
                    if elements.is_empty() {
                        column.definition.push(1);
                        repetition.push(0);
                    }
                    for (k, (int, float)) in elements.into_iter().enumerate() {
                        repetition.push(if k == 0 { 0 } else { 1 });
                        let null = match field.datatype {
                            Datatype::Float | Datatype::Double => false,
                            _ => int.is_none(),
                        };
                        if null {
                            column.definition.push(2);
                        } else {
                            column.definition.push(3);
                            self.bytes += column.values.push_number(int, float);
                        }
                    }
                }
            }
        }
        self.rows += 1;
    }

    /// Writes the gathered rows as one row group and moves the bytes written to `out`.
    fn write_group(&mut self, out: &mut Vec<u8>) -> parquet::errors::Result<()> {
        let Some(file) = self.file.as_mut() else {
            return Ok(());
        };
        if self.rows > 0 {
            let mut group = file.next_row_group()?;
            for column in &mut self.columns {
                let mut writer = group.next_column()?.ok_or_else(|| {
                    parquet::errors::ParquetError::General("schema mismatch".into())
                })?;
                let defs = Some(column.definition.as_slice());
                let reps = column.repetition.as_deref();
                match &mut column.values {
                    Values::Bool(v) => writer.typed::<BoolType>().write_batch(v, defs, reps)?,
                    Values::Int32(v) => writer.typed::<Int32Type>().write_batch(v, defs, reps)?,
                    Values::Int64(v) => writer.typed::<Int64Type>().write_batch(v, defs, reps)?,
                    Values::Float(v) => writer.typed::<FloatType>().write_batch(v, defs, reps)?,
                    Values::Double(v) => writer.typed::<DoubleType>().write_batch(v, defs, reps)?,
                    Values::Text { bytes, ends } => {
                        let all = bytes::Bytes::from(std::mem::take(bytes));
                        let mut start = 0;
                        let values: Vec<ByteArray> = ends
                            .iter()
                            .map(|&end| {
                                let value = ByteArray::from(all.slice(start..end));
                                start = end;
                                value
                            })
                            .collect();
                        writer
                            .typed::<ByteArrayType>()
                            .write_batch(&values, defs, reps)?
                    }
                };
                writer.close()?;
            }
            group.close()?;
        }
        file.flush()?;
        out.append(file.inner_mut());
        self.columns = self.meta.fields.iter().map(empty_column).collect();
        self.rows = 0;
        self.bytes = 0;
        Ok(())
    }
}

impl ResultWriter for ParquetWriter {
    fn begin(&mut self, _out: &mut Vec<u8>) {}

    fn row(&mut self, out: &mut Vec<u8>, cells: &[Cell]) {
        if self.failed.is_some() {
            return;
        }
        self.gather(cells);
        if self.rows >= GROUP_ROWS || self.bytes >= GROUP_BYTES {
            if let Err(e) = self.write_group(out) {
                self.failed = Some(format!("cannot write Parquet: {e}"));
            }
        }
    }

    fn end(&mut self, out: &mut Vec<u8>, ending: &Ending) {
        let ending = match &self.failed {
            Some(message) => Ending::Error(message.clone()),
            None => ending.clone(),
        };
        if self.failed.is_none() {
            if let Err(e) = self.write_group(out) {
                self.failed = Some(format!("cannot write Parquet: {e}"));
            }
        }
        let Some(mut file) = self.file.take() else {
            return;
        };
        file.append_key_value_metadata(KeyValue::new(
            "IVOA.VOTable-Parquet.version".into(),
            "1.0".to_string(),
        ));
        file.append_key_value_metadata(KeyValue::new(
            "IVOA.VOTable-Parquet.content".into(),
            crate::votable::metadata_document(&self.meta, &ending),
        ));
        if let Ok(rest) = file.into_inner() {
            out.extend_from_slice(&rest);
        }
    }
}
