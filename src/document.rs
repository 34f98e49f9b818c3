//! Reading plan texts: decoding, headings, titles and periods. The store, extraction and the
//! command line all read plans through here.

use std::path::Path;

use crate::config::MAX_DOCUMENT_BYTES;
use crate::model::{Document, Encoding};

#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    #[error("{path}: cannot read: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{name}: not UTF-8 text (invalid byte at offset {offset}); convert it to UTF-8 first")]
    NotUtf8 { name: String, offset: usize },
    #[error("{name}: empty document")]
    Empty { name: String },
    #[error("{name}: {size} bytes, over the limit of {limit} bytes")]
    TooLarge {
        name: String,
        size: usize,
        limit: usize,
    },
    #[error("{name}: over the limit of {limit} bytes (read no further)")]
    OverLimit { name: String, limit: usize },
    #[error(
        "{path}: a {kind}, not a file; give plan files (a pipe or a device has no end to check)"
    )]
    NotAFile { path: String, kind: &'static str },
    #[error("{name}: neither UTF-8 nor GB18030 text; convert it to UTF-8 (e.g. iconv -t UTF-8)")]
    NotText { name: String },
    #[error("{name}: binary (NUL bytes), not a plan text")]
    Binary { name: String },
}

/// Reads a plan file, at most `limit` bytes of it: a regular file only, so that a pipe or a
/// device (/dev/zero) is refused at once rather than read without end, and a file over the
/// limit is refused without being read whole.
pub fn read_file(path: &Path, limit: usize) -> Result<Vec<u8>, DocumentError> {
    use std::io::Read;
    let io = |source| DocumentError::Io {
        path: path.display().to_string(),
        source,
    };
    // looked at before it is opened: opening a named pipe waits for a writer
    let kind = std::fs::metadata(path).map_err(io)?.file_type();
    if !kind.is_file() {
        return Err(DocumentError::NotAFile {
            path: path.display().to_string(),
            kind: file_kind(&kind),
        });
    }
    let file = std::fs::File::open(path).map_err(io)?;
    let mut bytes = Vec::new();
    file.take(limit as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() > limit {
        return Err(DocumentError::OverLimit {
            name: path.display().to_string(),
            limit,
        });
    }
    Ok(bytes)
}

fn file_kind(t: &std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if t.is_dir() {
        "directory"
    } else if t.is_fifo() {
        "named pipe"
    } else if t.is_char_device() {
        "character device"
    } else if t.is_block_device() {
        "block device"
    } else if t.is_socket() {
        "socket"
    } else {
        "special file"
    }
}

/// Decodes a plan's bytes, a file's or an upload's: UTF-8 as it is, GB18030 (common in Chinese government files)
/// converted. Returns the text and the encoding's name, or `None` when it is neither.
pub fn decode_text(bytes: &[u8]) -> Option<(String, Encoding)> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Some((s.to_string(), Encoding::Utf8));
    }
    let (text, _, had_errors) = encoding_rs::GB18030.decode(bytes);
    if had_errors || text.contains('\u{0}') {
        return None;
    }
    // a real GB18030 text has Chinese in it; binary noise decodes to rare code points
    let cjk = text
        .chars()
        .filter(|c| ('\u{4e00}'..='\u{9fff}').contains(c))
        .count();
    let total = text.chars().filter(|c| !c.is_whitespace()).count().max(1);
    (cjk * 2 >= total).then(|| (text.into_owned(), Encoding::Gb18030))
}

/// The checks every plan text passes, read from a file or uploaded: UTF-8 as it is, GB18030
/// converted (the encoding's name comes back with the text), not empty, not binary.
pub fn plan_text(name: &str, bytes: &[u8]) -> Result<(String, Encoding), DocumentError> {
    let (text, encoding) = decode_text(bytes).ok_or_else(|| DocumentError::NotText {
        name: name.to_string(),
    })?;
    if text.trim().is_empty() {
        return Err(DocumentError::Empty {
            name: name.to_string(),
        });
    }
    if text.contains('\u{0}') {
        return Err(DocumentError::Binary {
            name: name.to_string(),
        });
    }
    Ok((text, encoding))
}

impl Document {
    /// A document from raw bytes: checks size, encoding and emptiness, strips a BOM.
    ///
    /// ```
    /// use planmap::model::Document;
    /// let d = Document::from_bytes("plan.txt", "塔城地区国民经济和社会发展第十三个五年规划纲要\n".as_bytes()).unwrap();
    /// assert_eq!(d.period.as_deref(), Some("2016-2020"));
    /// assert!(Document::from_bytes("x.txt", &[0xff, 0xfe, 0x00]).is_err());
    /// ```
    pub fn from_bytes(name: &str, bytes: &[u8]) -> Result<Document, DocumentError> {
        if bytes.len() > MAX_DOCUMENT_BYTES {
            return Err(DocumentError::TooLarge {
                name: name.to_string(),
                size: bytes.len(),
                limit: MAX_DOCUMENT_BYTES,
            });
        }
        let text = std::str::from_utf8(bytes).map_err(|e| DocumentError::NotUtf8 {
            name: name.to_string(),
            offset: e.valid_up_to(),
        })?;
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        if text.trim().is_empty() {
            return Err(DocumentError::Empty {
                name: name.to_string(),
            });
        }
        Ok(Document {
            name: name.to_string(),
            title: document_title(text),
            period: document_period(text),
            text: text.to_string(),
        })
    }

    /// Reads a document from a file; its `name` is the file name.
    pub fn read(path: &Path) -> Result<Document, DocumentError> {
        let bytes = read_file(path, MAX_DOCUMENT_BYTES)?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.display().to_string());
        Document::from_bytes(&name, &bytes)
    }
}

/// Section headings: 第三章 …, 第二节 …, 一、…, （一）…, short lines only.
pub fn is_heading(line: &str) -> bool {
    let t = line.trim_start_matches([' ', '\u{3000}', '\t']);
    if t.chars().count() > 40 {
        return false;
    }
    let mut cs = t.chars();
    match cs.next() {
        Some('第') => t.contains('章') || t.contains('节') || t.contains('篇'),
        Some('（') | Some('(') => cs.next().is_some_and(is_cjk_numeral),
        Some(c) if is_cjk_numeral(c) => t.chars().nth(1) == Some('、'),
        _ => false,
    }
}

fn is_cjk_numeral(c: char) -> bool {
    "一二三四五六七八九十".contains(c)
}

/// The title: the first line among the first twenty that names a plan.
pub fn document_title(text: &str) -> Option<String> {
    const MARKERS: [&str; 6] = ["规划", "纲要", "报告", "计划", "方案", "意见"];
    text.lines()
        .take(20)
        .map(|l| l.trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}'))
        .find(|l| !l.is_empty() && l.chars().count() <= 80 && MARKERS.iter().any(|m| l.contains(m)))
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(""))
}

/// The period a plan covers, from its first lines: 十三五 -> 2016-2020, or an explicit range.
pub fn document_period(text: &str) -> Option<String> {
    let head: String = text.lines().take(20).collect::<Vec<_>>().join(" ");
    const FIVE_YEAR: [(&str, &str); 4] = [
        ("第十二个五年", "2011-2015"),
        ("第十三个五年", "2016-2020"),
        ("第十四个五年", "2021-2025"),
        ("第十五个五年", "2026-2030"),
    ];
    let compact: String = head.chars().filter(|c| !c.is_whitespace()).collect();
    for (k, v) in FIVE_YEAR {
        if compact.contains(k) {
            return Some(v.to_string());
        }
    }
    for (k, v) in [
        ("十二五", "2011-2015"),
        ("十三五", "2016-2020"),
        ("十四五", "2021-2025"),
    ] {
        if compact.contains(&format!("“{k}”规划")) || compact.contains(&format!("{k}规划"))
        {
            return Some(v.to_string());
        }
    }
    let re = regex::Regex::new(r"((?:19|20)\d{2})\s*[-—–至~～]\s*((?:19|20)\d{2})\s*年").ok()?;
    re.captures(&compact)
        .map(|c| format!("{}-{}", &c[1], &c[2]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gb18030_is_recognised_and_garbage_is_not() {
        let (gb, _, _) =
            encoding_rs::GB18030.encode("塔城地区国民经济和社会发展规划：建设塔城机场。");
        let (t, enc) = decode_text(&gb).unwrap();
        assert_eq!(enc, Encoding::Gb18030);
        assert!(t.contains("塔城机场"));
        assert_eq!(
            decode_text("已是UTF-8".as_bytes()).unwrap().1,
            Encoding::Utf8
        );
        let noise: Vec<u8> = (0..4096u32)
            .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
            .collect();
        assert!(decode_text(&noise).is_none());
    }
}
