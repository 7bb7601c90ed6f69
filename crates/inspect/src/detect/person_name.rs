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

use wide::u8x16;

use super::keys::is_cjk;
use crate::words::{trim_ascii_whitespace, vector_at, vector_in_range};

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

/// The bit of [`COMPANY_ENDS`] for each byte value: bit 0 for `a` or `A`
/// up to bit 25 for `z` or `Z`, and none for a byte that is no ASCII
/// letter.
const LETTER_BITS: [u32; 256] = {
    let mut bits = [0; 256];
    let mut byte = 0;
    while byte < 256 {
        let letter = (byte as u8).to_ascii_lowercase();
        if letter.is_ascii_lowercase() {
            bits[byte] = 1 << (letter - b'a');
        }
        byte += 1;
    }
    bits
};

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
    inlined_name_shape(value, person_key)
}

/// Judges a value like [`name_shape`], inlined where field values are
/// judged, so that most of them need no call.
#[inline(always)]
fn inlined_name_shape(value: &[u8], person_key: bool) -> NameShape {
    // Judging the bytes spares the UTF-8 decoding and the several passes of
    // the general rules, which only values with other characters than ASCII
    // and the Latin-1 letters need.
    byte_name_shape(value, person_key).unwrap_or_else(|| unicode_name_shape(value, person_key))
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
    let shape = inlined_name_shape(value, person_key);
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
// Out of line, so that the common path of `name_shape` through
// `byte_name_shape` needs fewer registers saved.
#[cold]
#[inline(never)]
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

/// Judges a value of ASCII and Latin-1 letters (`À` to `ÿ` without `×` and
/// `÷`) with the same rules as [`unicode_name_shape`], on bit masks of its
/// bytes. Returns `None` for a value with other characters or invalid
/// UTF-8, or longer than [`MAX_MASKED_NAME_BYTES`] once trimmed, which the
/// general rules judge.
///
/// Among these characters, the whitespace of [`char::is_whitespace`] is
/// `\t`, `\n`, `\x0B`, `\x0C`, `\r` and space, the letters are `A-Z`,
/// `a-z` and the Latin-1 letters, of which `À` to `Þ` are capitals, and no
/// character is CJK or a combining mark. Every rule that rejects the value
/// gives [`NameShape::Other`], so their order does not matter.
fn byte_name_shape(value: &[u8], person_key: bool) -> Option<NameShape> {
    let text = trim_ascii_whitespace(value);
    if text.len() > MAX_MASKED_NAME_BYTES {
        return None;
    }
    if text.is_empty() || is_ascii_placeholder_word(text) {
        return Some(NameShape::Placeholder);
    }
    let masks = NameMasks::of(text)?;
    let letters = masks.letters;
    if letters == 0 {
        // A value without letters is a filler unless a digit makes it a
        // code.
        let code = text.iter().any(u8::is_ascii_digit);
        return Some(if code {
            NameShape::Other
        } else {
            NameShape::Placeholder
        });
    }
    // Clearing the lowest bit leaves none when there is only one letter.
    // `count_ones` would be a loop on x86-64 without the POPCNT extension.
    if masks.others != 0 || letters & (letters - 1) == 0 {
        return Some(NameShape::Other);
    }
    // The text is trimmed, so it starts and ends inside a word.
    let in_words = masks.all & !masks.spaces;
    let starts = in_words & !(in_words << 1);
    let ends = in_words & !(in_words >> 1);
    let mut beyond_max_words = starts;
    for _ in 0..MAX_NAME_WORDS {
        beyond_max_words &= beyond_max_words.wrapping_sub(1);
    }
    if beyond_max_words != 0 || (starts | ends) & masks.hyphens != 0 {
        return Some(NameShape::Other);
    }
    let Some(first_letters) = first_letters(starts, letters) else {
        return Some(NameShape::Other);
    };
    if person_key {
        return Some(NameShape::Person);
    }
    if first_letters & !masks.capitals != 0 {
        return Some(NameShape::Other);
    }
    let single_word = starts & (starts - 1) == 0;
    let brand = single_word && masks.has_inner_capital(text);
    let (mut remaining_starts, mut remaining_ends) = (starts, ends);
    let mut company = false;
    while remaining_starts != 0 && !company {
        let start = remaining_starts.trailing_zeros() as usize;
        let end = remaining_ends.trailing_zeros() as usize + 1;
        remaining_starts &= remaining_starts - 1;
        remaining_ends &= remaining_ends - 1;
        company = is_company_word(&text[start..end]);
    }
    Some(if brand || company {
        NameShape::Organisation
    } else {
        NameShape::Person
    })
}

/// Returns the first letter of each word, or `None` when a word has no
/// letter. `starts` marks the first byte of each word, and the letters of a
/// word lie before the next word's start.
#[inline(always)]
fn first_letters(starts: u64, letters: u64) -> Option<u64> {
    // Most words start with a letter.
    if starts & !letters == 0 {
        return Some(starts);
    }
    let mut firsts = 0;
    let mut remaining = starts;
    while remaining != 0 {
        let start = remaining & remaining.wrapping_neg();
        remaining &= remaining - 1;
        let next = remaining & remaining.wrapping_neg();
        let word = !(start - 1) & next.wrapping_sub(1);
        let word_letters = letters & word;
        if word_letters == 0 {
            return None;
        }
        firsts |= word_letters & word_letters.wrapping_neg();
    }
    Some(firsts)
}

/// Maximum length of a trimmed value that [`byte_name_shape`] judges by
/// masks, one bit per byte. Longer values take the general rules.
const MAX_MASKED_NAME_BYTES: usize = 64;

/// Bit masks of the bytes of a trimmed value of at most
/// [`MAX_MASKED_NAME_BYTES`], bit `i` for byte `i`.
struct NameMasks {
    /// Every byte of the value.
    all: u64,
    /// ASCII letters and the first bytes of Latin-1 letters.
    letters: u64,
    /// ASCII capitals and the first bytes of Latin-1 capitals.
    capitals: u64,
    /// ASCII whitespace.
    spaces: u64,
    hyphens: u64,
    /// Bytes that no name contains: not a letter, whitespace or one of
    /// `-`, `'`, `.` and `,`.
    others: u64,
    /// Whether the value has a Latin-1 letter.
    latin1: bool,
}

/// The first byte of the UTF-8 of every Latin-1 letter.
const LATIN1_LEAD: u8 = 0xC3;

impl NameMasks {
    /// Returns the masks of `text`, 1 to [`MAX_MASKED_NAME_BYTES`] bytes, or
    /// `None` when it has other bytes than ASCII and valid UTF-8 of Latin-1
    /// letters. Sixteen bytes are classified per step with vector
    /// instructions.
    fn of(text: &[u8]) -> Option<NameMasks> {
        let splat = u8x16::splat;
        let mut masks = NameMasks {
            all: u64::MAX >> (64 - text.len()),
            letters: 0,
            capitals: 0,
            spaces: 0,
            hyphens: 0,
            others: 0,
            latin1: false,
        };
        let mut name_bytes = 0;
        let (mut leads, mut continuations, mut capital_continuations) = (0, 0, 0);

        // Classifies the sixteen bytes from `offset` on, and returns false
        // when one of them is outside this UTF-8.
        let mut step = |offset: usize| {
            let bytes = vector_at(text, offset);
            let bits = |marks: u8x16| u64::from(marks.to_bitmask()) << offset;
            let letters = vector_in_range(bytes | splat(0x20), b'a', b'z');
            let spaces = bytes.simd_eq(splat(b' ')) | vector_in_range(bytes, b'\t', b'\r');
            let punctuation = vector_in_range(bytes, b',', b'.') | bytes.simd_eq(splat(b'\''));
            masks.letters |= bits(letters);
            masks.capitals |= bits(vector_in_range(bytes, b'A', b'Z'));
            masks.spaces |= bits(spaces);
            masks.hyphens |= bits(bytes.simd_eq(splat(b'-')));
            name_bytes |= bits(letters | spaces | punctuation);
            let non_ascii = bits(bytes);
            if non_ascii != 0 {
                // Continuation bytes 0x97 and 0xB7 encode `×` and `÷`.
                let lead = bits(bytes.simd_eq(splat(LATIN1_LEAD)));
                let continuation = bits(vector_in_range(bytes, 0x80, 0xBF))
                    & !bits(bytes.simd_eq(splat(0x97)) | bytes.simd_eq(splat(0xB7)));
                if non_ascii & !(lead | continuation) != 0 {
                    return false;
                }
                leads |= lead;
                continuations |= continuation;
                capital_continuations |= bits(vector_in_range(bytes, 0x80, 0x9E));
            }
            true
        };
        // Most names fit one vector, which then needs no loop and no
        // shifts.
        if text.len() <= 16 {
            if !step(0) {
                return None;
            }
        } else {
            for offset in (0..text.len()).step_by(16) {
                if !step(offset) {
                    return None;
                }
            }
        }

        // Every lead byte is followed by one continuation byte, and every
        // continuation byte follows a lead byte.
        if continuations != leads << 1 || leads >> (text.len() - 1) != 0 {
            return None;
        }
        masks.latin1 = leads != 0;
        masks.letters |= leads;
        masks.capitals |= leads & capital_continuations >> 1;
        masks.others = masks.all & !(name_bytes | leads | continuations);
        Some(masks)
    }

    /// Returns whether a lower-case letter is followed by a capital in
    /// `text`, the value of these masks, as in [`has_inner_capital`].
    fn has_inner_capital(&self, text: &[u8]) -> bool {
        if self.latin1 {
            return std::str::from_utf8(text).is_ok_and(has_inner_capital);
        }
        let lower_case = self.letters & !self.capitals;
        lower_case << 1 & self.capitals != 0
    }
}

/// Returns whether ASCII `text` is one of [`PLACEHOLDERS`] in any case.
fn is_ascii_placeholder_word(text: &[u8]) -> bool {
    // Most values have a length that no placeholder has, or a first or last
    // letter that no placeholder of their length has.
    let (Some(&first), Some(&last)) = (text.first(), text.last()) else {
        return false;
    };
    let Some(&(firsts, lasts)) = PLACEHOLDER_ENDS.get(text.len()) else {
        return false;
    };
    firsts & LETTER_BITS[usize::from(first)] != 0
        && lasts & LETTER_BITS[usize::from(last)] != 0
        && is_listed_placeholder(text)
}

/// Returns whether `text` is one of [`PLACEHOLDERS`] in any case, by
/// comparing it with each.
fn is_listed_placeholder(text: &[u8]) -> bool {
    PLACEHOLDERS
        .iter()
        .any(|placeholder| placeholder.as_bytes().eq_ignore_ascii_case(text))
}

/// Maximum length of [`PLACEHOLDERS`] (`anonymous`).
const MAX_PLACEHOLDER_BYTES: usize = 9;

/// For each length of [`PLACEHOLDERS`], a bit per letter (`a` is bit 0)
/// that one of them starts with, and one per letter that one ends with,
/// like [`COMPANY_ENDS`].
const PLACEHOLDER_ENDS: [(u32, u32); MAX_PLACEHOLDER_BYTES + 1] = {
    let mut ends = [(0, 0); MAX_PLACEHOLDER_BYTES + 1];
    let mut index = 0;
    while index < PLACEHOLDERS.len() {
        let word = PLACEHOLDERS[index].as_bytes();
        let (first, last) = (word[0], word[word.len() - 1]);
        assert!(first.is_ascii_lowercase());
        assert!(last.is_ascii_lowercase());
        ends[word.len()].0 |= 1 << (first - b'a');
        ends[word.len()].1 |= 1 << (last - b'a');
        index += 1;
    }
    ends
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
// Inline, because the name rules call it for every word and most words
// fail the test of their first and last letters.
#[inline(always)]
fn is_company_word(word: &[u8]) -> bool {
    // Most words end with a letter, and then need no search for the
    // trailing dots and commas.
    let bare = match word.last() {
        Some(b'.' | b',') => {
            let bare_length = word
                .iter()
                .rposition(|byte| !matches!(byte, b'.' | b','))
                .map_or(0, |last| last + 1);
            &word[..bare_length]
        }
        _ => word,
    };
    let (Some(&first), Some(&last)) = (bare.first(), bare.last()) else {
        return false;
    };
    let Some(&(firsts, lasts)) = COMPANY_ENDS.get(bare.len()) else {
        return false;
    };
    let first_bit = LETTER_BITS[usize::from(first)];
    let last_bit = LETTER_BITS[usize::from(last)];
    firsts & first_bit != 0 && lasts & last_bit != 0 && is_listed_company_word(bare)
}

/// Returns whether `bare`, at most 16 bytes, is one of [`COMPANY_WORDS`] in
/// any case.
#[cold]
fn is_listed_company_word(bare: &[u8]) -> bool {
    // Packed words compare as integers, so the binary search costs a few
    // integer compares instead of a string compare per entry.
    COMPANY_KEYS.binary_search(&packed_lower(bare)).is_ok()
}

/// Packs `bytes`, at most 16, like [`pack_lower`], but lower-cases all of
/// them in one vector instead of byte by byte.
#[inline(always)]
fn packed_lower(bytes: &[u8]) -> u128 {
    let vector = vector_at(bytes, 0);
    let capitals = vector_in_range(vector, b'A', b'Z');
    let lower = vector | (capitals & u8x16::splat(0x20));
    u128::from_be_bytes(lower.to_array())
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

    #[test]
    fn company_words_with_trailing_marks() {
        let listed = |word: &[u8]| {
            let bare = word
                .iter()
                .rposition(|byte| !matches!(byte, b'.' | b','))
                .map_or(&word[..0], |last| &word[..=last]);
            COMPANY_WORDS
                .iter()
                .any(|company| company.as_bytes().eq_ignore_ascii_case(bare))
        };
        let mut words: Vec<Vec<u8>> = Vec::new();
        for stem in COMPANY_WORDS
            .iter()
            .copied()
            .chain(["", "Jane", "Doe", "é", "x"])
        {
            for suffix in ["", ".", ",", ".,", ",.", "..", "a.", ".a", "é", "\u{301}."] {
                words.push(format!("{stem}{suffix}").into_bytes());
                words.push(format!("{}{suffix}", stem.to_uppercase()).into_bytes());
            }
        }
        // A xorshift64 generator over bytes that end words in every way.
        let alphabet = b".,aAlLgGtTdDhHbB\xC3\xA9";
        let mut state = 0x9E37_79B9_7F4A_7C15_u64;
        for _ in 0..20_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let length = (state % 9) as usize;
            let word = (0..length)
                .map(|index| alphabet[(state >> (5 * index)) as usize % alphabet.len()])
                .collect();
            words.push(word);
        }
        for word in &words {
            assert_eq!(is_company_word(word), listed(word), "{word:?}");
        }
    }

    #[test]
    fn vector_packing_matches_bytewise() {
        let mut samples: Vec<Vec<u8>> = Vec::new();
        for length in 0..=16 {
            for byte in [
                0, b'@', b'A', b'M', b'Z', b'[', b'`', b'a', b'z', b'{', b'.', 0x7F, 0x80, 0xC1,
                0xDA, 0xFF,
            ] {
                samples.push(vec![byte; length]);
            }
        }
        // A xorshift64 generator, so that every run packs the same bytes.
        let mut state = 0x9E37_79B9_7F4A_7C15_u64;
        for _ in 0..20_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let length = (state % 17) as usize;
            let bytes = state.wrapping_mul(0x2545_F491_4F6C_DD1D).to_le_bytes();
            let sample = (0..length)
                .map(|index| bytes[index % 8].rotate_left(index as u32))
                .collect();
            samples.push(sample);
        }
        for word in COMPANY_WORDS {
            samples.push(word.to_uppercase().into_bytes());
        }
        for sample in &samples {
            assert_eq!(packed_lower(sample), pack_lower(sample), "{sample:?}");
        }
    }

    #[test]
    fn placeholder_prefilter_matches_list() {
        let mut values = vec![String::new(), "a".into(), "n/a ".into()];
        for placeholder in PLACEHOLDERS {
            values.push(placeholder.to_string());
            values.push(placeholder.to_uppercase());
            values.push(format!("{placeholder}."));
            values.push(format!(" {placeholder}"));
            values.push(format!("{placeholder}x"));
            values.push(placeholder[1..].to_string());
            values.push("é".repeat(placeholder.len()));
            for letter in b'a'..=b'z' {
                let letter = char::from(letter);
                values.push(format!("{letter}{}", &placeholder[1..]));
                values.push(format!("{}{letter}", &placeholder[..placeholder.len() - 1]));
                values.push(format!("{}{letter}", placeholder.to_uppercase()));
            }
        }
        for length in 0..=12 {
            for byte in [b'A', b'n', b'/', b' ', b'0', 0x80, 0xFF] {
                values.push(String::from_utf8_lossy(&vec![byte; length]).into_owned());
            }
        }
        for value in &values {
            assert_eq!(
                is_ascii_placeholder_word(value.as_bytes()),
                is_listed_placeholder(value.as_bytes()),
                "{value:?}"
            );
        }
        for placeholder in PLACEHOLDERS {
            assert!(placeholder.len() <= MAX_PLACEHOLDER_BYTES, "{placeholder}");
            assert!(is_ascii_placeholder_word(
                placeholder.to_uppercase().as_bytes()
            ));
        }
    }

    /// Pieces that generated values are built from: letters of both cases,
    /// every kind of whitespace, name punctuation, characters that reject a
    /// name, company words and placeholders. Latin-1 letters, other
    /// characters and broken UTF-8 decide which rules judge a value.
    const PIECES: &[&[u8]] = &[
        b"J",
        b"ane",
        b"D",
        b"oe",
        b"O'",
        b"Brien",
        b"Mc",
        b"Donald",
        b"a",
        b"Z",
        b"x",
        b" ",
        b"  ",
        b"\t",
        b"\n",
        b"\x0B",
        b"\x0C",
        b"\r",
        b"\x1C",
        b"-",
        b"'",
        b".",
        b",",
        b"7",
        b"@",
        b"/",
        b"_",
        b"GmbH",
        b"inc.",
        b"Ltd,",
        b"S.A.",
        b"INCORPORATED",
        b"Corp",
        b"n/a",
        b"Null",
        b"TEST",
        b"Our",
        b"Corp",
        b"sAP",
        b"Gui",
        "Ü".as_bytes(),
        "ü".as_bytes(),
        "À".as_bytes(),
        "Þ".as_bytes(),
        "ß".as_bytes(),
        "ÿ".as_bytes(),
        "×".as_bytes(),
        "÷".as_bytes(),
        "\u{a0}".as_bytes(),
        "\u{2003}".as_bytes(),
        "Ž".as_bytes(),
        "ª".as_bytes(),
        "Ж".as_bytes(),
        "e\u{301}".as_bytes(),
        "王".as_bytes(),
        b"\xC3",
        b"\xA9",
        b"\xC3(",
    ];

    #[test]
    fn byte_shapes_match_unicode_rules() {
        // A xorshift64* generator, so that every run checks the same values.
        let mut state = 0x9E37_79B9_7F4A_7C15_u64;
        let mut next = move |bound: usize| {
            state ^= state >> 12;
            state ^= state << 25;
            state ^= state >> 27;
            (state.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 33) as usize % bound
        };
        let mut value = Vec::new();
        let mut shapes_seen = Vec::new();
        let mut judged_by_bytes = 0;
        for _ in 0..200_000 {
            value.clear();
            for _ in 0..1 + next(9) {
                value.extend_from_slice(PIECES[next(PIECES.len())]);
            }
            for person_key in [false, true] {
                let general = unicode_name_shape(&value, person_key);
                if let Some(shape) = byte_name_shape(&value, person_key) {
                    let text = String::from_utf8_lossy(&value);
                    assert_eq!(shape, general, "{text:?} person_key={person_key}");
                    judged_by_bytes += 1;
                    if !shapes_seen.contains(&shape) {
                        shapes_seen.push(shape);
                    }
                }
                assert_eq!(name_shape(&value, person_key), general);
            }
        }
        // The generated values reach every outcome, so the comparison
        // covers each rule.
        assert_eq!(shapes_seen.len(), 4, "{shapes_seen:?}");
        assert!(judged_by_bytes > 100_000, "{judged_by_bytes}");
        for value in ["Müller", "García", "ÉMILE Zoë", "Ørsted", "Ægir ßa"] {
            for person_key in [false, true] {
                let shape = byte_name_shape(value.as_bytes(), person_key);
                assert!(shape.is_some(), "{value}");
            }
        }
        for value in ["Ĳssel", "Straße\u{a0}", "Jane\u{301}", "Jos×"] {
            assert_eq!(byte_name_shape(value.as_bytes(), true), None, "{value}");
        }
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
                    name_shape(value.as_bytes(), person_key),
                    unicode_name_shape(value.as_bytes(), person_key),
                    "{value:?} person_key={person_key}"
                );
            }
        }
        // Lengths around the 64 bytes that the masks hold and the 16 bytes
        // of a vector, with a word ending at the last byte.
        for length in (12..=20).chain(28..=36).chain(60..=70) {
            for (initial, last) in [
                ("A", "Lee"),
                ("A", "lee"),
                ("a", "Lee"),
                ("A", "GmbH"),
                ("É", "Lé"),
                ("A", "bÉ"),
            ] {
                let filler = "b".repeat(length - last.len() - 2);
                let first = format!("{initial}{filler}");
                for value in [format!("{first} {last}"), format!("{first}{last}")] {
                    for person_key in [false, true] {
                        assert_eq!(
                            name_shape(value.as_bytes(), person_key),
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
