//! Japanese and Korean names (native script with romanisation) and Singapore's Malay and
//! Indian names, which have no separate native-script form in a hotel's records.

/// Japanese family names: (kanji, Hepburn romanisation, weight).
pub const JP_FAMILY: &[(&str, &str, f64)] = &[
    ("佐藤", "Sato", 10.0),
    ("鈴木", "Suzuki", 9.0),
    ("高橋", "Takahashi", 7.0),
    ("田中", "Tanaka", 7.0),
    ("伊藤", "Ito", 5.0),
    ("渡辺", "Watanabe", 5.0),
    ("山本", "Yamamoto", 5.0),
    ("中村", "Nakamura", 5.0),
    ("小林", "Kobayashi", 4.0),
    ("加藤", "Kato", 4.0),
    ("吉田", "Yoshida", 4.0),
    ("山田", "Yamada", 3.0),
    ("松本", "Matsumoto", 3.0),
    ("井上", "Inoue", 3.0),
    ("木村", "Kimura", 3.0),
];

/// Japanese given names: (kanji or kana, romanisation, female?).
pub const JP_GIVEN: &[(&str, &str, bool)] = &[
    ("健", "Ken", false),
    ("翔太", "Shota", false),
    ("大輔", "Daisuke", false),
    ("健太", "Kenta", false),
    ("拓也", "Takuya", false),
    ("直樹", "Naoki", false),
    ("浩", "Hiroshi", false),
    ("誠", "Makoto", false),
    ("花子", "Hanako", true),
    ("陽菜", "Hina", true),
    ("美咲", "Misaki", true),
    ("結衣", "Yui", true),
    ("さくら", "Sakura", true),
    ("由美", "Yumi", true),
    ("恵子", "Keiko", true),
    ("愛", "Ai", true),
];

/// Korean family names: (hangul, romanisation, weight).
pub const KR_FAMILY: &[(&str, &str, f64)] = &[
    ("김", "Kim", 21.0),
    ("이", "Lee", 15.0),
    ("박", "Park", 8.0),
    ("최", "Choi", 5.0),
    ("정", "Jung", 5.0),
    ("강", "Kang", 2.0),
    ("조", "Cho", 2.0),
    ("윤", "Yoon", 2.0),
    ("장", "Jang", 2.0),
    ("임", "Lim", 2.0),
    ("한", "Han", 1.5),
    ("오", "Oh", 1.5),
];

/// Korean given names: (hangul, romanisation, female?).
pub const KR_GIVEN: &[(&str, &str, bool)] = &[
    ("민준", "Min-jun", false),
    ("지훈", "Ji-hoon", false),
    ("현우", "Hyun-woo", false),
    ("성민", "Sung-min", false),
    ("준호", "Jun-ho", false),
    ("동현", "Dong-hyun", false),
    ("서연", "Seo-yeon", true),
    ("수빈", "Su-bin", true),
    ("지은", "Ji-eun", true),
    ("민지", "Min-ji", true),
    ("하은", "Ha-eun", true),
    ("유진", "Yu-jin", true),
];

/// Singapore Malay names: (given, female?); the family part is `bin`/`binte` + father's name.
pub const MALAY_GIVEN: &[(&str, bool)] = &[
    ("Muhammad Hafiz", false),
    ("Ahmad Faizal", false),
    ("Mohamed Rizal", false),
    ("Syed Imran", false),
    ("Nur Aisyah", true),
    ("Siti Nurhaliza", true),
    ("Nurul Huda", true),
    ("Farah Nadia", true),
];

pub const MALAY_FATHERS: &[&str] = &["Abdullah", "Ismail", "Hassan", "Rahman", "Osman", "Yusof", "Salleh", "Ibrahim"];

/// Singapore Indian names: (given, female?) and family names.
pub const INDIAN_GIVEN: &[(&str, bool)] = &[
    ("Rajesh", false),
    ("Arun", false),
    ("Suresh", false),
    ("Vikram", false),
    ("Karthik", false),
    ("Priya", true),
    ("Kavitha", true),
    ("Lakshmi", true),
    ("Deepa", true),
    ("Anjali", true),
];

pub const INDIAN_FAMILY: &[&str] = &["Kumar", "Pillai", "Nair", "Raj", "Menon", "Krishnan", "Subramaniam", "Singh"];
