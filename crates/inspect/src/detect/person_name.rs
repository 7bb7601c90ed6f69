//! Person names, judged as whole field values under name keys.
//!
//! Without a language model, a name is recognised by where it is sent (see
//! [`super::key_tables`]) and by its shape: 1 to 4 words of letters in any
//! script, 2 to 100 characters, no digits, not an e-mail address or URL.
//! Under a key that names a person (`first_name`, `employee_name`, `姓名`),
//! any such value counts, even `Müller GmbH`, since sole traders sign with
//! their names. Under a key that may name an organisation (`name`,
//! `customer_name`) the value must also look like a name: capitalised words
//! or two to four Han characters starting with a common surname, no
//! company form (`GmbH`, `Inc.`, `Ltd`, `有限公司`, `株式会社`), and no
//! single camel-case word (`OurCorp`). Under a key that may name anything
//! (`name`, `contact`), the shape is not enough: the column of such names
//! also needs evidence that it contains people (see
//! [`super::columns::NameColumns`]).
//!
//! A single Han character is a complete Chinese surname (`于`), so it counts
//! under a person key although it is one character long.

use super::keys::is_cjk;

/// Maximum length of a name, in characters.
const MAX_NAME_CHARS: usize = 100;

/// Maximum words in a name.
const MAX_NAME_WORDS: usize = 4;

/// Maximum length of a name in Han characters.
const MAX_HAN_NAME_CHARS: usize = 6;

/// Legal forms and words that mark an organisation, lower case, without
/// trailing dots, sorted by bytes for a binary search.
const COMPANY_WORDS: &[&str] = &[
    "a/s",
    "ab",
    "ag",
    "as",
    "asa",
    "b.v",
    "bank",
    "bv",
    "co",
    "company",
    "corp",
    "corporation",
    "e.g",
    "e.v",
    "foundation",
    "gbr",
    "gmbh",
    "group",
    "gruppe",
    "holding",
    "holdings",
    "inc",
    "incorporated",
    "k.k",
    "kg",
    "kgaa",
    "kk",
    "limited",
    "llc",
    "llp",
    "lp",
    "ltd",
    "mbh",
    "n.v",
    "nv",
    "ohg",
    "oy",
    "oyj",
    "partners",
    "plc",
    "pte",
    "pty",
    "s.a",
    "s.a.r.l",
    "s.p.a",
    "s.r.l",
    "sa",
    "sarl",
    "sas",
    "spa",
    "srl",
    "stiftung",
    "trust",
    "ug",
    "verein",
];

/// Length of the longest of [`COMPANY_WORDS`] (`incorporated`); at most
/// 16, the bytes of a `u128`.
const MAX_COMPANY_WORD_BYTES: usize = 12;

/// [`COMPANY_WORDS`] packed by [`pack_lower`], in the same order.
const COMPANY_KEYS: [u128; COMPANY_WORDS.len()] = {
    let mut keys = [0; COMPANY_WORDS.len()];
    let mut index = 0;
    while index < COMPANY_WORDS.len() {
        keys[index] = pack_lower(COMPANY_WORDS[index].as_bytes());
        index += 1;
    }
    keys
};

/// For each length of [`COMPANY_WORDS`], a bit per letter (`a` is bit 0)
/// that one of them starts with, and one per letter that one ends with.
/// Few name words pass both tests, so most skip the binary search.
const COMPANY_ENDS: [(u32, u32); MAX_COMPANY_WORD_BYTES + 1] = {
    let mut ends = [(0, 0); MAX_COMPANY_WORD_BYTES + 1];
    let mut index = 0;
    while index < COMPANY_WORDS.len() {
        let word = COMPANY_WORDS[index].as_bytes();
        let (first, last) = (word[0], word[word.len() - 1]);
        assert!(first.is_ascii_lowercase());
        assert!(last.is_ascii_lowercase());
        ends[word.len()].0 |= 1 << (first - b'a');
        ends[word.len()].1 |= 1 << (last - b'a');
        index += 1;
    }
    ends
};

/// Returns the bit of [`COMPANY_ENDS`] for `byte` in either case, or 0
/// for a byte that is no ASCII letter.
fn letter_bit(byte: u8) -> u32 {
    if byte.is_ascii_alphabetic() {
        1 << (byte.to_ascii_lowercase() - b'a')
    } else {
        0
    }
}

/// Packs up to 16 bytes, lower-cased, into a `u128`: big-endian and padded
/// with zeros, so that packed words order as the words do by bytes.
const fn pack_lower(bytes: &[u8]) -> u128 {
    let mut key = 0;
    let mut index = 0;
    while index < bytes.len() && index < 16 {
        key = key << 8 | bytes[index].to_ascii_lowercase() as u128;
        index += 1;
    }
    if index == 0 {
        return 0;
    }
    key << (8 * (16 - index))
}

/// Substrings that mark an organisation in Chinese and Japanese.
const CJK_COMPANY_MARKERS: &[&str] = &[
    "公司",
    "集团",
    "集團",
    "株式会社",
    "有限会社",
    "合同会社",
    "银行",
    "銀行",
    "商店",
    "工厂",
    "事務所",
    "协会",
    "大学",
];

/// Values that fill a name field without naming anyone.
const PLACEHOLDERS: &[&str] = &[
    "n/a",
    "na",
    "none",
    "null",
    "nil",
    "unknown",
    "test",
    "tbd",
    "anonymous",
    "admin",
    "default",
    "buyer",
    "seller",
    "customer",
    "client",
    "contact",
    "user",
    "supplier",
    "vendor",
    "guest",
    "partner",
    // A salutation alone names no one.
    "mr",
    "mrs",
    "ms",
    "miss",
    "dr",
    "herr",
    "frau",
    "mme",
    "mlle",
    "xx",
    "xxx",
];

/// The first characters of about 490 common Chinese family names (in
/// simplified and traditional forms) and Japanese family names. A run of two to four Han
/// characters under an organisation key counts as a name only when it
/// starts with one of them.
const COMMON_SURNAMES: &str = concat!(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡",
    "余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯",
    "龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章萧",
    "鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉",
    "骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦",
    "戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄",
    "丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼",
    "盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云",
    "容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭况那宿鲜印逯隆茹诸战慕危玉",
    "银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由劉陳楊",
    "黃趙吳孫馬羅鄭謝許韓馮鄧蕭葉蘇呂盧鍾譚陸賈韋鄒閆龍賀顧龔萬錢嚴湯佐鈴渡山中小加松",
    "木斎清森橋岡長藤後近村遠青坂斉福太西竹上宮横大杉新河野千岩菅久市菊島水桜北五川関",
    "服東土秋荒永浅星堀内黒尾望赖賴傅阎閻洪",
);

/// Double surnames, checked before the single ones.
const DOUBLE_SURNAMES: &[&str] = &[
    "欧阳", "歐陽", "司马", "司馬", "上官", "诸葛", "諸葛", "东方", "皇甫", "令狐",
];

/// The kind of a value under a name key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NameShape {
    /// A person's name.
    Person,
    /// A name, but of an organisation or a brand, under a key that may name
    /// either.
    Organisation,
    /// Not a name at all: numbers, codes, e-mail addresses.
    Other,
    /// A filler such as `n/a`, `-` or `unknown`, or a salutation alone:
    /// neither a name nor a sign that the field contains something else.
    Placeholder,
}

/// Returns whether a field value is a person's name. `person_key` is true
/// under keys that name a person, false under keys that may name an
/// organisation.
pub(crate) fn is_person_name(value: &[u8], person_key: bool) -> bool {
    name_shape(value, person_key) == NameShape::Person
}

/// Judges a field value under a name key; see [`is_person_name`].
pub(crate) fn name_shape(value: &[u8], person_key: bool) -> NameShape {
    // Judging an ASCII value byte by byte spares the UTF-8 decoding and the
    // several passes of the general rules.
    if value.is_ascii() {
        return ascii_name_shape(value, person_key);
    }
    unicode_name_shape(value, person_key)
}

/// Judges a field value like [`name_shape`]. When that finds no name under
/// a key that names a person, it judges the value once more without its
/// additions. These are a leading
/// label (`VIP: John Smith`) and a note after a spaced dash, slash or bar
/// (`John Smith - VIP`). They are also trailing groups in brackets
/// (`John Smith (VIP)`, `John Smith<john@example.com>`), a trailing `#`
/// number and trailing symbols such as emoji. Last come leading titles
/// (`Prof. Dr.`) and trailing suffixes (`PhD`, `Jr.`). Underscores between
/// words (`John_Smith`) are then read as spaces. What remains must still
/// have the shape of a name, so `Inlandskunde DE 1` stays no name and
/// `ACME GmbH - Sales` an organisation.
pub(crate) fn field_name_shape(value: &[u8], person_key: bool) -> NameShape {
    let shape = name_shape(value, person_key);
    // Under a key that may name anything (`name`, `contact`), product and
    // team names carry notes as well (`Standing Desk (Oak)`, `Sales Team -
    // EMEA`), and without them they have the shape of a name.
    if shape != NameShape::Other || !person_key {
        return shape;
    }
    match without_additions(value) {
        Some(bare) => name_shape(bare.as_bytes(), person_key),
        None => shape,
    }
}

/// Titles that precede a name, lower case and without dots.
const LEADING_TITLES: &[&str] = &[
    "dipl-ing", "dipl-kfm", "dr", "frau", "herr", "med", "mr", "mrs", "ms", "mx", "prof",
];

/// Degrees and generational suffixes that follow a name, lower case and
/// without dots. Short surnames such as `Ma` are not among them.
const TRAILING_SUFFIXES: &[&str] = &[
    "dds", "esq", "ii", "iii", "iv", "jr", "mba", "md", "msc", "phd", "sr",
];

/// Returns `value` without the additions that [`field_name_shape`] removes,
/// or `None` when it has none.
fn without_additions(value: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(value).ok()?.trim();
    let mut bare = without_label(text);
    if let Some(split) = NOTE_SEPARATORS
        .iter()
        .filter_map(|separator| bare.find(separator))
        .min()
    {
        bare = bare[..split].trim_end();
    }
    bare = without_trailing_notes(bare);

    let is_in = |word: &str, list: &[&str]| {
        let plain: String = word
            .chars()
            .filter(|character| *character != '.' && *character != ',')
            .collect::<String>()
            .to_lowercase();
        list.contains(&plain.as_str())
    };
    while let Some((first, rest)) = bare.split_once(char::is_whitespace) {
        if !is_in(first, LEADING_TITLES) {
            break;
        }
        bare = rest.trim_start();
    }
    while let Some(split) =
        bare.rfind(|character: char| character.is_whitespace() || character == ',')
    {
        if !is_in(&bare[split + 1..], TRAILING_SUFFIXES) {
            break;
        }
        bare = bare[..split]
            .trim_end_matches(|character: char| character.is_whitespace() || character == ',');
    }

    let joined = !bare.contains(char::is_whitespace) && bare.contains('_');
    if joined {
        return Some(bare.replace('_', " "));
    }
    (bare.len() < text.len() && !bare.is_empty()).then(|| bare.to_owned())
}

/// Separators, with the spaces around them, after which a note follows a
/// name (`John Smith - VIP`, `John Smith / key account`). The spaces keep
/// double names such as `Lom-Ali` whole.
const NOTE_SEPARATORS: &[&str] = &[" - ", " \u{2013} ", " \u{2014} ", " / ", " | "];

/// Maximum words of a label before a name (`Key account: John Smith`).
const MAX_LABEL_WORDS: usize = 2;

/// Returns `text` without a leading label of one or two words of letters
/// and a colon (`VIP: John Smith`), or `text` itself when it has none.
fn without_label(text: &str) -> &str {
    let Some((label, rest)) = text.split_once(": ") else {
        return text;
    };
    let words = label.split_whitespace().count();
    let letters_only = label
        .chars()
        .all(|character| character.is_alphabetic() || character == ' ');
    if (1..=MAX_LABEL_WORDS).contains(&words) && letters_only {
        rest.trim_start()
    } else {
        text
    }
}

/// Returns `text` without trailing groups in brackets, a trailing word
/// that starts with `#` (`#123`) and trailing symbols such as emoji, in
/// any order and number.
fn without_trailing_notes(text: &str) -> &str {
    let mut bare = text;
    loop {
        let before = bare;
        bare = bare.trim_end_matches(|character: char| {
            !(character.is_alphanumeric()
                || character.is_whitespace()
                || is_combining_mark(character)
                || matches!(character, '.' | '\'' | '\u{2019}' | ')' | ']' | '>' | '}'))
        });
        let closing = bare.chars().next_back();
        let opening = match closing {
            Some(')') => Some('('),
            Some(']') => Some('['),
            Some('>') => Some('<'),
            Some('}') => Some('{'),
            _ => None,
        };
        if let Some(open) = opening.and_then(|opening| bare.rfind(opening)) {
            bare = &bare[..open];
        } else if let Some(space) = bare.rfind(char::is_whitespace)
            && bare[space + 1..].starts_with('#')
        {
            bare = &bare[..space];
        }
        bare = bare.trim_end();
        if bare.len() == before.len() {
            return bare;
        }
    }
}

/// Judges any value with the rules of the module documentation.
fn unicode_name_shape(value: &[u8], person_key: bool) -> NameShape {
    let Ok(text) = std::str::from_utf8(value) else {
        return NameShape::Other;
    };
    let text = text.trim();
    let characters = text.chars().count();
    if characters == 0 || is_placeholder(text) {
        return NameShape::Placeholder;
    }
    if characters > MAX_NAME_CHARS {
        return NameShape::Other;
    }
    if text.chars().all(is_cjk) {
        return han_name_shape(text, characters, person_key);
    }
    if characters < 2 || !has_name_characters(text) {
        return NameShape::Other;
    }
    let mut words = [""; MAX_NAME_WORDS];
    let mut count = 0;
    for word in text.split_whitespace() {
        if count == MAX_NAME_WORDS || !is_name_word(word) {
            return NameShape::Other;
        }
        words[count] = word;
        count += 1;
    }
    let words = &words[..count];
    if person_key {
        return NameShape::Person;
    }
    if !words.iter().all(|word| is_capitalised(word)) {
        return NameShape::Other;
    }
    let brand = words.len() == 1 && has_inner_capital(words[0]);
    if is_company(words) || brand {
        NameShape::Organisation
    } else {
        NameShape::Person
    }
}

/// Judges an ASCII value with the same rules as [`unicode_name_shape`],
/// byte by byte. In ASCII, the letters are `A-Z` and `a-z`, the
/// whitespace of [`char::is_whitespace`] is `\t`, `\n`, `\x0B`, `\x0C`,
/// `\r` and space, and no character is CJK or a combining mark.
///
/// One table lookup per byte sets the byte's bit in a mask of letters and
/// in one of whitespace. Words are the runs between whitespace bits. The
/// rules are tested on the masks and on the bytes where words start and
/// end. Every rule that rejects the value gives [`NameShape::Other`], so
/// their order does not matter.
fn ascii_name_shape(value: &[u8], person_key: bool) -> NameShape {
    let text = trim_ascii_whitespace(value);
    if text.len() > MAX_MASKED_NAME_BYTES {
        return unicode_name_shape(text, person_key);
    }
    if is_ascii_placeholder_word(text) || !text.iter().any(u8::is_ascii_alphanumeric) {
        return NameShape::Placeholder;
    }
    // A value without two letters is rejected here or below.
    if text.len() < 2 {
        return NameShape::Other;
    }
    let (mut letters, mut spaces) = (0u64, 0u64);
    let mut classes = 0;
    for (index, &byte) in text.iter().enumerate() {
        let class = NAME_BYTES[usize::from(byte)];
        classes |= class;
        letters |= u64::from(class & NAME_LETTER) << index;
        spaces |= u64::from((class & NAME_SPACE) >> 1) << index;
    }
    // Clearing the lowest bit leaves none when there is only one letter.
    // `count_ones` would be a loop on x86-64 without the POPCNT extension.
    if classes & NAME_OTHER != 0 || letters & letters.wrapping_sub(1) == 0 {
        return NameShape::Other;
    }
    // The text is trimmed, so it starts and ends inside a word.
    let in_words = !spaces & (u64::MAX >> (64 - text.len()));
    let starts = in_words & !(in_words << 1);
    let ends = in_words & !(in_words >> 1);
    let mut words = [&text[..0]; MAX_NAME_WORDS];
    let mut count = 0;
    let mut capitalised = true;
    let (mut remaining_starts, mut remaining_ends) = (starts, ends);
    while remaining_starts != 0 {
        if count == MAX_NAME_WORDS {
            return NameShape::Other;
        }
        let word = &mut words[count];
        count += 1;
        let start = remaining_starts.trailing_zeros();
        let end = remaining_ends.trailing_zeros() + 1;
        remaining_starts &= remaining_starts - 1;
        remaining_ends &= remaining_ends - 1;
        // The word's letters, of which the first must be a capital.
        let word_letters = letters >> start & (u64::MAX >> (64 - (end - start)));
        *word = &text[start as usize..end as usize];
        if word_letters == 0 || word.first() == Some(&b'-') || word.last() == Some(&b'-') {
            return NameShape::Other;
        }
        let first_letter = text[(start + word_letters.trailing_zeros()) as usize];
        capitalised &= first_letter.is_ascii_uppercase();
    }
    let words = &words[..count];
    if person_key {
        return NameShape::Person;
    }
    if !capitalised {
        return NameShape::Other;
    }
    // A brand is a single word with a capital right after a lower-case
    // letter (`OurCorp`).
    let brand = count == 1
        && words[0]
            .windows(2)
            .any(|pair| pair[0].is_ascii_lowercase() && pair[1].is_ascii_uppercase());
    if brand || words.iter().any(|word| is_company_word(word)) {
        NameShape::Organisation
    } else {
        NameShape::Person
    }
}

/// Maximum length of a trimmed ASCII value that [`ascii_name_shape`]
/// judges by masks, one bit per byte. Longer values take the general rules.
const MAX_MASKED_NAME_BYTES: usize = 64;

/// Class bits of [`NAME_BYTES`].
const NAME_LETTER: u8 = 1;
const NAME_SPACE: u8 = 2;
/// A byte that no name contains: not a letter, whitespace or one of
/// `-`, `'`, `.` and `,`.
const NAME_OTHER: u8 = 4;

/// The class bits of every byte value, for [`ascii_name_shape`].
const NAME_BYTES: [u8; 256] = byte_classes!(|byte| {
    if byte.is_ascii_alphabetic() {
        NAME_LETTER
    } else if is_ascii_whitespace(byte) {
        NAME_SPACE
    } else if matches!(byte, b'-' | b'\'' | b'.' | b',') {
        0
    } else {
        NAME_OTHER
    }
});

/// Returns whether `byte` is whitespace by [`char::is_whitespace`], which
/// unlike [`u8::is_ascii_whitespace`] includes the vertical tab.
const fn is_ascii_whitespace(byte: u8) -> bool {
    matches!(byte, b'\t'..=b'\r' | b' ')
}

/// Returns `value` without leading and trailing [`is_ascii_whitespace`]
/// bytes, as [`str::trim`] would.
fn trim_ascii_whitespace(value: &[u8]) -> &[u8] {
    let start = value
        .iter()
        .position(|&byte| !is_ascii_whitespace(byte))
        .unwrap_or(value.len());
    let end = value
        .iter()
        .rposition(|&byte| !is_ascii_whitespace(byte))
        .map_or(start, |last| last + 1);
    &value[start..end]
}

/// Returns whether ASCII `text` is one of [`PLACEHOLDERS`] in any case.
fn is_ascii_placeholder_word(text: &[u8]) -> bool {
    // Most values have a length that no placeholder has.
    text.len() < 32
        && PLACEHOLDER_LENGTHS & (1 << text.len()) != 0
        && PLACEHOLDERS
            .iter()
            .any(|placeholder| placeholder.as_bytes().eq_ignore_ascii_case(text))
}

/// A bit for the length of each of [`PLACEHOLDERS`].
const PLACEHOLDER_LENGTHS: u32 = {
    let mut lengths = 0;
    let mut index = 0;
    while index < PLACEHOLDERS.len() {
        assert!(PLACEHOLDERS[index].len() < 32);
        lengths |= 1 << PLACEHOLDERS[index].len();
        index += 1;
    }
    lengths
};

/// Returns whether a lower-case letter is followed by a capital inside
/// `word` (`OurCorp`, `SAPGui`), the shape of brand and system names.
fn has_inner_capital(word: &str) -> bool {
    word.chars()
        .zip(word.chars().skip(1))
        .any(|(first, second)| first.is_lowercase() && second.is_uppercase())
}

fn han_name_shape(text: &str, characters: usize, person_key: bool) -> NameShape {
    if CJK_COMPANY_MARKERS
        .iter()
        .any(|marker| text.contains(marker))
    {
        return if person_key {
            NameShape::Other
        } else {
            NameShape::Organisation
        };
    }
    if characters > MAX_HAN_NAME_CHARS {
        return NameShape::Other;
    }
    let surname = starts_with_common_surname(text);
    if person_key || ((2..=4).contains(&characters) && surname) {
        NameShape::Person
    } else {
        NameShape::Other
    }
}

/// Returns whether Han `text` starts with one of [`DOUBLE_SURNAMES`] or
/// [`COMMON_SURNAMES`].
pub(crate) fn starts_with_common_surname(text: &str) -> bool {
    DOUBLE_SURNAMES
        .iter()
        .any(|double| text.starts_with(double))
        || text
            .chars()
            .next()
            .is_some_and(|first| COMMON_SURNAMES.contains(first))
}

/// Returns whether every character is a letter, a space or name
/// punctuation, with at least two letters.
fn has_name_characters(text: &str) -> bool {
    let mut letters = 0;
    for character in text.chars() {
        if character.is_alphabetic() || is_combining_mark(character) {
            letters += 1;
        } else if !(character.is_whitespace() || matches!(character, '-' | '\'' | '’' | '.' | ','))
        {
            return false;
        }
    }
    letters >= 2
}

/// Returns whether `character` is a combining mark of the Latin, Greek or
/// Cyrillic blocks, which decomposed names carry after their letters.
fn is_combining_mark(character: char) -> bool {
    matches!(u32::from(character), 0x0300..=0x036F | 0x0483..=0x0489)
}

/// Returns whether `word` has a letter and neither starts nor ends with a
/// hyphen.
fn is_name_word(word: &str) -> bool {
    word.chars().any(char::is_alphabetic) && !word.starts_with('-') && !word.ends_with('-')
}

fn is_capitalised(word: &str) -> bool {
    word.chars()
        .find(|character| character.is_alphabetic())
        .is_some_and(|first| first.is_uppercase() || !first.is_lowercase())
}

/// Returns whether a value that is no name by its shape still contains a
/// legal form or a Chinese or Japanese company marker (`Schrauben Handel 1
/// GmbH`, `Lager 3 AG`), so that it names an organisation.
pub(crate) fn mentions_company(value: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(value) else {
        return false;
    };
    text.split_whitespace()
        .any(|word| is_company_word(word.as_bytes()))
        || CJK_COMPANY_MARKERS
            .iter()
            .any(|marker| text.contains(marker))
}

fn is_company(words: &[&str]) -> bool {
    words.iter().any(|word| is_company_word(word.as_bytes()))
}

/// Returns whether `word`, without trailing dots and commas, is one of
/// [`COMPANY_WORDS`] in any case.
fn is_company_word(word: &[u8]) -> bool {
    let bare_length = word
        .iter()
        .rposition(|byte| !matches!(byte, b'.' | b','))
        .map_or(0, |last| last + 1);
    let bare = &word[..bare_length];
    let (Some(&first), Some(&last)) = (bare.first(), bare.last()) else {
        return false;
    };
    let Some(&(firsts, lasts)) = COMPANY_ENDS.get(bare.len()) else {
        return false;
    };
    if firsts & letter_bit(first) == 0 || lasts & letter_bit(last) == 0 {
        return false;
    }
    // Packed words compare as integers, so the binary search costs a few
    // integer compares instead of a string compare per entry. Packing
    // through an array spares the byte-by-byte shifts of `pack_lower`.
    let mut padded = [0; 16];
    padded[..bare.len()].copy_from_slice(bare);
    padded.make_ascii_lowercase();
    COMPANY_KEYS
        .binary_search(&u128::from_be_bytes(padded))
        .is_ok()
}

fn is_placeholder(text: &str) -> bool {
    PLACEHOLDERS
        .iter()
        .any(|placeholder| placeholder.eq_ignore_ascii_case(text))
        || text.chars().all(|character| !character.is_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_han_surnames_start_names() {
        for name in ["赖静", "傅丽丽", "阎颖", "洪伟", "佐々木洋介", "欧阳娜"] {
            assert!(starts_with_common_surname(name), "{name}");
        }
        assert!(!starts_with_common_surname("产品"));
    }

    #[test]
    fn company_words_are_sorted_and_lower_case() {
        for pair in COMPANY_WORDS.windows(2) {
            assert!(pair[0] < pair[1], "{} before {}", pair[0], pair[1]);
        }
        assert!(COMPANY_KEYS.is_sorted());
        assert!(is_company(&["ACME", "GmbH"]));
        assert!(is_company(&["Widgets", "Inc."]));
        assert!(!is_company(&["Jane", "Incorporatedly"]));
        assert!(!is_company(&["Jane", "."]));
        assert!(pack_lower(b"ab") < pack_lower(b"abc"));
        for word in ["", "Ltd", "INCORPORATED", "Jane", "s.a.r.l"] {
            assert_eq!(
                is_company_word(word.as_bytes()),
                COMPANY_WORDS.contains(&word.to_lowercase().as_str()),
                "{word}"
            );
        }
        // Every listed word in upper case and with a trailing dot, and
        // words one letter away at either end, which the prefilter of first
        // and last letters must not decide wrongly.
        for word in COMPANY_WORDS {
            let upper = word.to_uppercase();
            assert!(is_company_word(upper.as_bytes()), "{upper}");
            assert!(is_company_word(format!("{word}.").as_bytes()), "{word}.");
            for letter in b'a'..=b'z' {
                let letter = char::from(letter);
                for changed in [
                    format!("{letter}{}", &word[1..]),
                    format!("{}{letter}", &word[..word.len() - 1]),
                ] {
                    assert_eq!(
                        is_company_word(changed.as_bytes()),
                        COMPANY_WORDS.contains(&changed.as_str()),
                        "{changed}"
                    );
                }
            }
        }
        for word in COMPANY_WORDS {
            assert_eq!(*word, word.to_lowercase(), "{word}");
            assert!(word.len() <= MAX_COMPANY_WORD_BYTES, "{word}");
        }
    }

    /// Pieces that generated values are built from: letters of both cases,
    /// every kind of whitespace, name punctuation, characters that reject a
    /// name, company words and placeholders.
    const PIECES: &[&str] = &[
        "J",
        "ane",
        "D",
        "oe",
        "O'",
        "Brien",
        "Mc",
        "Donald",
        "a",
        "Z",
        "x",
        " ",
        "  ",
        "\t",
        "\n",
        "\x0B",
        "\x0C",
        "\r",
        "\x1C",
        "-",
        "'",
        ".",
        ",",
        "7",
        "@",
        "/",
        "_",
        "GmbH",
        "inc.",
        "Ltd,",
        "S.A.",
        "INCORPORATED",
        "Corp",
        "n/a",
        "Null",
        "TEST",
        "Our",
        "Corp",
        "sAP",
        "Gui",
    ];

    #[test]
    fn ascii_shapes_match_unicode_rules() {
        // A xorshift64* generator, so that every run checks the same values.
        let mut state = 0x9E37_79B9_7F4A_7C15_u64;
        let mut next = move |bound: usize| {
            state ^= state >> 12;
            state ^= state << 25;
            state ^= state >> 27;
            (state.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 33) as usize % bound
        };
        let mut value = String::new();
        let mut shapes_seen = Vec::new();
        for _ in 0..100_000 {
            value.clear();
            for _ in 0..1 + next(9) {
                value.push_str(PIECES[next(PIECES.len())]);
            }
            for person_key in [false, true] {
                let shape = ascii_name_shape(value.as_bytes(), person_key);
                assert_eq!(
                    shape,
                    unicode_name_shape(value.as_bytes(), person_key),
                    "{value:?} person_key={person_key}"
                );
                if !shapes_seen.contains(&shape) {
                    shapes_seen.push(shape);
                }
            }
        }
        // The generated values reach every outcome, so the comparison
        // covers each rule.
        assert_eq!(shapes_seen.len(), 4, "{shapes_seen:?}");
        let long = "Ab ".repeat(40);
        for value in [
            "",
            " ",
            "\x0B",
            "Jo",
            "J",
            "n/a",
            long.as_str(),
            long.trim(),
        ] {
            for person_key in [false, true] {
                assert_eq!(
                    ascii_name_shape(value.as_bytes(), person_key),
                    unicode_name_shape(value.as_bytes(), person_key),
                    "{value:?} person_key={person_key}"
                );
            }
        }
        // Lengths around the 64 bytes that the masks hold, with a word
        // ending at the last byte.
        for length in 60..=70 {
            for (initial, last) in [("A", "Lee"), ("A", "lee"), ("a", "Lee"), ("A", "GmbH")] {
                let first = format!("{initial}{}", "b".repeat(length - last.len() - 2));
                for value in [format!("{first} {last}"), format!("{first}{last}")] {
                    for person_key in [false, true] {
                        assert_eq!(
                            ascii_name_shape(value.as_bytes(), person_key),
                            unicode_name_shape(value.as_bytes(), person_key),
                            "{value:?} person_key={person_key}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn names_under_person_keys_are_found() {
        for value in [
            "Jane Doe",
            "January",
            "Václavík",
            "Lom-Ali",
            "Dikman Shervashidze Shervashidze",
            "O'Brien",
            "Дмитрий Пирогов",
            "نگارین",
            "J. R. R. Tolkien",
            "于",
            "紹萱",
            "欧阳娜娜",
            "Müller GmbH",
            "DOE",
            "Doe, John",
        ] {
            assert!(is_person_name(value.as_bytes(), true), "{value}");
        }
    }

    #[test]
    fn non_names_are_rejected_under_person_keys() {
        for value in [
            "",
            "  ",
            "J",
            "1004155",
            "Inlandskunde DE 1",
            "jane@example.com",
            "https://example.com",
            "N/A",
            "-",
            "One Two Three Four Five",
            "北京科技有限公司",
            "株式会社テスト",
            "R2-D2",
            "null",
        ] {
            assert!(!is_person_name(value.as_bytes(), true), "{value:?}");
        }
    }

    #[test]
    fn names_with_additions_are_found() {
        for value in [
            "John Smith (VIP)",
            "John Smith, PhD",
            "Dr. John Smith",
            "John_Smith",
            "Smith, John",
            "Prof. Dr. Dipl.-Ing. Max Mustermann",
            "Prof. Dr. Erika Mustermann, PhD",
            "Dr. med. Erika Mustermann",
            "Max Mustermann MBA (Einkauf)",
            "John Smith Jr., Esq.",
            "John Smith - VIP",
            "John Smith | VIP",
            "Key account: John Smith",
            "John Smith [VIP] (Berlin)",
            "John Smith #123 \u{2605}",
            "John Smith<john@example.com>",
            "Dr. John Smith {B2B} - Einkauf",
        ] {
            assert_eq!(
                field_name_shape(value.as_bytes(), true),
                NameShape::Person,
                "{value}"
            );
        }
        // Under a key that may name anything, notes stay part of the value,
        // because products and teams carry them too.
        for value in [
            "Standing Desk (Oak)",
            "Widget Pro - Blue",
            "Sales Team - EMEA",
            "Server Rack [42U]",
            "Premium Support: Gold",
            "Laptop Stand #7",
        ] {
            assert_ne!(
                field_name_shape(value.as_bytes(), false),
                NameShape::Person,
                "{value}"
            );
        }
    }

    #[test]
    fn additions_leave_other_values_alone() {
        for value in [
            "Inlandskunde DE 1",
            "Inlandskunde DE 1 (VIP)",
            "(VIP)",
            "Order 1234 (urgent)",
            "SKU_1234",
            "jane@example.com (work)",
            "Inlandskunde DE 1 - VIP",
            "Inlandskunde DE 1 \u{1f642}",
            "Order 1234: John",
            "10: Smith",
            "<john@example.com>",
            "#123",
        ] {
            for person_key in [true, false] {
                assert_ne!(
                    field_name_shape(value.as_bytes(), person_key),
                    NameShape::Person,
                    "{value} person_key={person_key}"
                );
            }
        }
        for value in [
            "ACME GmbH (Berlin)",
            "ACME GmbH - Sales",
            "Sales: ACME GmbH",
        ] {
            assert_ne!(
                field_name_shape(value.as_bytes(), false),
                NameShape::Person,
                "{value}"
            );
        }
    }

    #[test]
    fn organisations_are_told_from_other_values() {
        for value in ["ACME GmbH", "OurCorp", "北京科技有限公司"] {
            assert_eq!(
                name_shape(value.as_bytes(), false),
                NameShape::Organisation,
                "{value}"
            );
        }
        for value in ["1004155", "jane@example.com", "blue chair"] {
            assert_eq!(
                name_shape(value.as_bytes(), false),
                NameShape::Other,
                "{value}"
            );
        }
    }

    #[test]
    fn organisation_keys_reject_company_forms() {
        for value in [
            "ACME GmbH",
            "Widgets Inc.",
            "Northwind Ltd",
            "Contoso LLC",
            "Fabrikam S.A.",
            "blue chair",
            "OurCorp",
            "Buyer",
            "于",
            "测试数据",
        ] {
            assert!(!is_person_name(value.as_bytes(), false), "{value}");
        }
        for value in ["Jane Doe", "Amy", "张三", "欧阳娜娜"] {
            assert!(is_person_name(value.as_bytes(), false), "{value}");
        }
    }
}
