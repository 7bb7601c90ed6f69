//! Deterministic ERP-like request bodies for throughput measurements.
//!
//! Four shapes: order lines with little personal data (a customer e-mail in
//! one record of [`SPARSE_EMAIL_EVERY`]) and customer records dense with it
//! (name, e-mail, phone, address, IBAN and date of birth in every record),
//! each as a JSON array and as CSV with a header row. The same seed gives
//! the same bytes on every run, so measurements compare.
//!
//! The criterion benchmark (`benches/throughput.rs`) and the example that
//! measures one corpus from outside (`examples/throughput.rs`) both inspect
//! these bodies.

/// The allocator of the benchmark and example binaries, the same as the
/// `tollgate` binary's, so that the inspector is measured as the gateway
/// runs it.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// One record in this many of a sparse corpus carries a customer e-mail.
pub const SPARSE_EMAIL_EVERY: u64 = 50;

/// The shape of a generated corpus.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    SparseJson,
    DenseJson,
    SparseCsv,
    DenseCsv,
}

impl Shape {
    pub const ALL: [Shape; 4] = [
        Shape::SparseJson,
        Shape::DenseJson,
        Shape::SparseCsv,
        Shape::DenseCsv,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Shape::SparseJson => "sparse-json",
            Shape::DenseJson => "dense-json",
            Shape::SparseCsv => "sparse-csv",
            Shape::DenseCsv => "dense-csv",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Shape::SparseJson | Shape::DenseJson => "application/json",
            Shape::SparseCsv | Shape::DenseCsv => "text/csv",
        }
    }

    pub fn from_name(name: &str) -> Option<Shape> {
        Shape::ALL.into_iter().find(|shape| shape.name() == name)
    }
}

const FIRST_NAMES: [&str; 12] = [
    "Jane", "John", "Amy", "Hans", "Satomi", "Ana", "Wei", "Olga", "Pierre", "Fatima", "Lars",
    "Priya",
];
const LAST_NAMES: [&str; 12] = [
    "Doe",
    "Taylor",
    "Müller",
    "Rasmussen",
    "Shigeki",
    "García",
    "Zhang",
    "Ivanova",
    "Dubois",
    "Haddad",
    "Lindqvist",
    "Sharma",
];
const STREETS: [&str; 6] = [
    "Hauptstraße",
    "Lindenstrasse",
    "Baker Street,",
    "Rue de Rivoli",
    "Main Street,",
    "Kungsgatan",
];
const CITIES: [&str; 6] = [
    "10115 Berlin",
    "80331 München",
    "London NW1 6XE",
    "75001 Paris",
    "Springfield",
    "111 52 Stockholm",
];
const PRODUCTS: [&str; 6] = [
    "Steel bracket 40mm",
    "Hex bolt M8x30",
    "Cable tie 200mm black",
    "Hinge stainless 75mm",
    "Washer M10 zinc",
    "Pallet wrap 500mm",
];
const STATUSES: [&str; 4] = ["open", "picked", "shipped", "invoiced"];
const CURRENCIES: [&str; 3] = ["EUR", "USD", "CNY"];

/// A xorshift64* generator: fast, deterministic and good enough for test
/// data.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, bound: u64) -> u64 {
        self.next() % bound
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

/// Generates a corpus of `shape` of at least `target_bytes` bytes.
pub fn generate(shape: Shape, target_bytes: usize) -> Vec<u8> {
    let mut random = Random(0x9E37_79B9_7F4A_7C15);
    let mut out = String::with_capacity(target_bytes + 1024);
    let json = matches!(shape, Shape::SparseJson | Shape::DenseJson);
    match shape {
        Shape::SparseJson | Shape::DenseJson => out.push('['),
        Shape::SparseCsv => out.push_str(
            "order_id,line,sku,description,qty,unit_price,amount,currency,warehouse,created_at,status,customer_email\n",
        ),
        Shape::DenseCsv => out.push_str(
            "customer_id,name,email,phone,address,iban,date_of_birth,order_total\n",
        ),
    }
    let mut index = 0u64;
    while out.len() < target_bytes {
        if json && index > 0 {
            out.push_str(",\n");
        }
        match shape {
            Shape::SparseJson | Shape::SparseCsv => order_line(&mut random, index, json, &mut out),
            Shape::DenseJson | Shape::DenseCsv => customer(&mut random, index, json, &mut out),
        }
        index += 1;
    }
    if json {
        out.push(']');
    }
    out.into_bytes()
}

fn order_line(random: &mut Random, index: u64, json: bool, out: &mut String) {
    let order = 40_000 + index / 4;
    let line = index % 4 + 1;
    let sku = random.below(90_000) + 10_000;
    let quantity = random.below(48) + 1;
    let cents = random.below(20_000) + 99;
    let amount = cents * quantity;
    let description = random.pick(&PRODUCTS);
    let currency = random.pick(&CURRENCIES);
    let warehouse = random.below(9) + 1;
    let (day, hour, minute, second) = (
        random.below(28) + 1,
        random.below(24),
        random.below(60),
        random.below(60),
    );
    let status = random.pick(&STATUSES);
    let email = if index % SPARSE_EMAIL_EVERY == 0 {
        let first = random.pick(&FIRST_NAMES).to_lowercase();
        format!("{first}.{index}@example.com")
    } else {
        String::new()
    };
    let price = format!("{}.{:02}", cents / 100, cents % 100);
    let total = format!("{}.{:02}", amount / 100, amount % 100);
    let created = format!("2024-03-{day:02}T{hour:02}:{minute:02}:{second:02}Z");
    if json {
        out.push_str(&format!(
            "{{\"order_id\":\"SO-2024-{order:06}\",\"line\":{line},\"sku\":\"SKU-{sku}-B\",\
             \"description\":\"{description}\",\"qty\":{quantity},\"unit_price\":\"{price}\",\
             \"amount\":\"{total}\",\"currency\":\"{currency}\",\"warehouse\":\"WH-{warehouse:02}\",\
             \"created_at\":\"{created}\",\"status\":\"{status}\""
        ));
        if !email.is_empty() {
            out.push_str(&format!(",\"customer_email\":\"{email}\""));
        }
        out.push('}');
    } else {
        out.push_str(&format!(
            "SO-2024-{order:06},{line},SKU-{sku}-B,{description},{quantity},{price},{total},\
             {currency},WH-{warehouse:02},{created},{status},{email}\n"
        ));
    }
}

fn customer(random: &mut Random, index: u64, json: bool, out: &mut String) {
    let first = random.pick(&FIRST_NAMES);
    let last = random.pick(&LAST_NAMES);
    let email = format!(
        "{}.{}{index}@example.com",
        first.to_lowercase(),
        index % 997
    );
    let phone = phone(random);
    let address = format!(
        "{} {}, {}",
        random.pick(&STREETS),
        random.below(200) + 1,
        random.pick(&CITIES)
    );
    let iban = german_iban(random);
    let birth = format!(
        "{}-{:02}-{:02}",
        1940 + random.below(66),
        random.below(12) + 1,
        random.below(28) + 1
    );
    let total = random.below(100_000);
    let total = format!("{}.{:02}", total / 100, total % 100);
    let id = 100_000 + index;
    if json {
        out.push_str(&format!(
            "{{\"customer_id\":{id},\"name\":\"{first} {last}\",\"email\":\"{email}\",\
             \"phone\":\"{phone}\",\"address\":\"{address}\",\"iban\":\"{iban}\",\
             \"date_of_birth\":\"{birth}\",\"order_total\":\"{total}\"}}"
        ));
    } else {
        out.push_str(&format!(
            "{id},{first} {last},{email},{phone},\"{address}\",{iban},{birth},{total}\n"
        ));
    }
}

fn phone(random: &mut Random) -> String {
    let subscriber = random.below(10_000_000);
    match random.below(4) {
        0 => format!("+49 30 {subscriber:07}"),
        1 => format!("+44 20 7946 {:04}", subscriber % 10_000),
        2 => format!("+1 415 555 {:04}", subscriber % 10_000),
        _ => format!("138{:08}", random.below(100_000_000)),
    }
}

/// Returns a German IBAN with valid check digits for a random account.
fn german_iban(random: &mut Random) -> String {
    let bban = format!(
        "{:08}{:010}",
        random.below(100_000_000),
        random.below(10_000_000_000)
    );
    // Check digits: 98 minus the remainder of BBAN + "DE00" (D = 13, E = 14).
    let rearranged = format!("{bban}131400");
    let remainder = rearranged.bytes().fold(0u64, |remainder, digit| {
        (remainder * 10 + u64::from(digit - b'0')) % 97
    });
    format!("DE{:02}{bban}", 98 - remainder)
}

#[cfg(test)]
mod tests {
    use super::*;
    use inspect::{Category, Inspector, Request};

    /// Each corpus contains the categories its name promises, so a faster
    /// inspection that finds less fails here before it shows in a benchmark.
    #[test]
    fn corpora_hold_their_personal_data() {
        let dense = [
            Category::Email,
            Category::Phone,
            Category::PersonName,
            Category::PostalAddress,
            Category::DateOfBirth,
            Category::Iban,
        ];
        for shape in Shape::ALL {
            let body = generate(shape, 64 * 1024);
            assert!(body.len() >= 64 * 1024, "{}", shape.name());
            assert_eq!(body, generate(shape, 64 * 1024), "{}", shape.name());
            let request = Request {
                path: "/api/import",
                content_type: Some(shape.content_type()),
                body: &body,
                ..Request::default()
            };
            let report = Inspector::default().inspect(&request).unwrap();
            let mut found: Vec<Category> = report
                .findings
                .iter()
                .map(|finding| finding.category)
                .collect();
            found.sort();
            let mut expected = match shape {
                Shape::SparseJson | Shape::SparseCsv => vec![Category::Email],
                Shape::DenseJson | Shape::DenseCsv => dense.to_vec(),
            };
            expected.sort();
            assert_eq!(found, expected, "{}", shape.name());
        }
    }
}
