//! The mistakes that make one guest several profiles: typing slips, OCR misreadings of a
//! scanned passport, dropped accents, day and month swapped, impossible dates.

use rand::Rng;
use rapport_domain::names::fold;

use crate::random::DemoRng;

/// One slip of the keyboard: a letter dropped, doubled, swapped with its neighbour or
/// replaced by the key next to it.
pub fn typo(rng: &mut DemoRng, s: &str) -> String {
    let mut chars: Vec<char> = s.chars().collect();
    if chars.len() < 3 {
        return s.to_string();
    }
    let i = rng.gen_range(1..chars.len() - 1);
    match rng.gen_range(0..4) {
        0 => {
            chars.remove(i);
        }
        1 => chars.insert(i, chars[i]),
        2 => chars.swap(i, i + 1),
        _ => chars[i] = neighbour_key(chars[i]),
    }
    chars.into_iter().collect()
}

fn neighbour_key(c: char) -> char {
    const ROWS: [&str; 3] = ["qwertyuiop", "asdfghjkl", "zxcvbnm"];
    let lower = c.to_ascii_lowercase();
    for row in ROWS {
        if let Some(i) = row.find(lower) {
            let b = row.as_bytes();
            return if i + 1 < b.len() { b[i + 1] as char } else { b[i - 1] as char };
        }
    }
    'e'
}

/// A scanner's misreading: `0`↔`O`, `1`↔`l`, `5`↔`S`, `8`↔`B`.
pub fn ocr(rng: &mut DemoRng, s: &str) -> String {
    let positions: Vec<usize> = s.char_indices().filter(|(_, c)| "0O1l5S8B".contains(*c)).map(|(i, _)| i).collect();
    if positions.is_empty() {
        return s.to_string();
    }
    let at = positions[rng.gen_range(0..positions.len())];
    s.char_indices()
        .map(|(i, c)| {
            if i != at {
                return c;
            }
            match c {
                '0' => 'O',
                'O' => '0',
                '1' => 'l',
                'l' => '1',
                '5' => 'S',
                'S' => '5',
                '8' => 'B',
                _ => '8',
            }
        })
        .collect()
}

/// The name without its accents, as a clerk on an English keyboard types it.
pub fn without_accents(s: &str) -> String {
    fold(s)
        .split(' ')
        .map(|w| {
            let mut c = w.chars();
            c.next().map_or(String::new(), |f| f.to_ascii_uppercase().to_string() + c.as_str())
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// `yyyymmdd` with one digit of month or day changed.
pub fn wrong_digit(rng: &mut DemoRng, digits: &str) -> String {
    let mut b = digits.as_bytes().to_vec();
    let i = rng.gen_range(6..8);
    b[i] = b'0' + (b[i] - b'0' + rng.gen_range(1..9)) % 10;
    String::from_utf8(b).unwrap_or_else(|_| digits.to_string())
}
