//! Word lists that tell people's names from other names under a key that
//! may name anything (`name`, `contact`), for [`super::columns`].
//!
//! Such a key contains products (`Standing Desk`), teams (`Sales Team`),
//! places (`New York`) and services (`Order Service`) as often as people,
//! and all of them have the shape of a name. A value is evidence of a
//! person when one of its words is a common given name or family name of
//! the lists below. A value in Han characters is evidence when it starts
//! with a common Chinese or Japanese family name. It is evidence against a
//! person when one of its words names a product, an organisational unit, a
//! service or a place.
//!
//! The name list covers common given names and family names of English,
//! German, French, Spanish, Italian, Portuguese, Dutch, Polish, Turkish and
//! Indian speakers, Chinese names in pinyin and Cantonese spelling,
//! Japanese names in romaji, and some Arabic and Korean ones. Names that
//! are also common English words, colours, brands or places (`Brown`,
//! `King`, `Jordan`, `Paris`) are left out, because a product or a place
//! would pass for a person with them. It is a sample, not a census: a
//! column is judged by the share of its values that the lists recognise,
//! so a name missing from them lowers that share but does not hide a
//! column of people.

use super::keys::is_cjk;
use super::person_name::starts_with_common_surname;

/// The evidence that the words of one name-shaped value give.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum WordEvidence {
    /// A word is a listed given name or family name, and none is a word of
    /// [`NON_PERSON_WORDS`].
    Person,
    /// A word names a product, an organisational unit, a service or a
    /// place (`Finance Department`, `Berlin Mitte`), even beside a listed
    /// name (`Wang Desk`).
    NotPerson,
    /// No word is in either list.
    Unknown,
}

/// Judges the words of `value`, in any case and with or without
/// diacritics as listed (`Müller`, `MUELLER`, `Muller`). Words are runs of
/// letters, combining marks and apostrophes. The lookup drops apostrophes
/// and combining marks, so `O'Brien` is `obrien` and a decomposed `Müller`
/// is `muller`.
pub(crate) fn word_evidence(value: &[u8]) -> WordEvidence {
    match listed_words(value) {
        None => WordEvidence::NotPerson,
        Some(0) => WordEvidence::Unknown,
        Some(_) => WordEvidence::Person,
    }
}

/// Returns how many words of `value` are listed given names or family
/// names, or `None` when a word names a product, a unit, a service or a
/// place. A Chinese or Japanese name counts once, by its family name.
/// Words are read as in [`word_evidence`].
pub(crate) fn listed_words(value: &[u8]) -> Option<usize> {
    let Ok(text) = std::str::from_utf8(value) else {
        return Some(0);
    };
    let mut listed = 0;
    let mut lower = String::new();
    let words = text
        .split(|character: char| !(is_word_character(character)))
        .filter(|word| !word.is_empty());
    for word in words {
        if word.starts_with(is_cjk) {
            listed += usize::from(starts_with_common_surname(word));
            continue;
        }
        lower.clear();
        lower.extend(
            word.chars()
                .flat_map(char::to_lowercase)
                .filter(|&character| !is_apostrophe(character) && !is_combining_mark(character)),
        );
        if NON_PERSON_WORDS.binary_search(&lower.as_str()).is_ok() {
            return None;
        }
        listed += usize::from(NAME_WORDS.binary_search(&lower.as_str()).is_ok());
    }
    Some(listed)
}

fn is_word_character(character: char) -> bool {
    character.is_alphabetic() || is_apostrophe(character) || is_combining_mark(character)
}

fn is_apostrophe(character: char) -> bool {
    matches!(character, '\'' | '\u{2019}')
}

/// Returns whether `character` is a combining diacritical mark (U+0300 to
/// U+036F), which decomposed letters and the Turkish `İ` lower-cased
/// (`i` and U+0307) carry.
fn is_combining_mark(character: char) -> bool {
    matches!(u32::from(character), 0x0300..=0x036F)
}

/// Common given names and family names, lower case, sorted by bytes for a
/// binary search. Spellings with diacritics sit beside their plain forms
/// (`müller`, `mueller`, `muller`).
#[rustfmt::skip]
const NAME_WORDS: &[&str] = &[
    "aarav", "aaron", "aarti", "abdullah", "abe", "abhishek", "abigail", "ackermann", "adam",
    "adamczyk", "adams", "adamska", "adamski", "addison", "adelheid", "aditya", "adrian", "adrien",
    "adrián", "agarwal", "agata", "aggarwal", "agnes", "agnieszka", "agnès", "aguilar", "ahmad",
    "ahmed", "ahmet", "ahn", "aidan", "aisha", "aishwarya", "ajay", "akash", "akiko", "akira",
    "alain", "alan", "albers", "albert", "alberto", "albrecht", "aldo", "alejandro", "aleksandra",
    "alessandro", "alessia", "alex", "alexander", "alexandre", "alexis", "alfonso", "alfred",
    "ali", "alice", "alicia", "alicja", "alistair", "allen", "almeida", "alonso", "alvarez",
    "alvaro", "alves", "amalie", "amanda", "amato", "amit", "amy", "ana", "anand", "ananya",
    "anderson", "ando", "andou", "andre", "andrea", "andreas", "andres", "andrew", "andrews",
    "andrzej", "andrzejewski", "andré", "andrés", "aneta", "angel", "angela", "angelika", "angelo",
    "anil", "anita", "anja", "anjali", "anke", "ann", "anna", "anne", "annegret", "anneliese",
    "annemarie", "annette", "anouk", "anthony", "antje", "antoine", "anton", "antonella",
    "antonio", "antunes", "antónio", "aoki", "arai", "araujo", "araújo", "arias", "arjun",
    "armstrong", "arnaud", "arnold", "arora", "arslan", "arthur", "arun", "asha", "ashley",
    "ashok", "aslan", "astrid", "aubert", "aubry", "aurelie", "aurelien", "aurélie", "aurélien",
    "aya", "ayaka", "aydin", "aydın", "ayse", "ayşe", "bachmann", "baerbel", "bai", "bailey",
    "bakker", "banerjee", "baran", "baranowski", "barbara", "barbier", "barbieri", "barbosa",
    "barnes", "barnett", "barrett", "barry", "barth", "bartosz", "bas", "bauer", "baumann",
    "beata", "beatriz", "beck", "becker", "bellini", "ben", "benitez", "benjamin", "bennett",
    "benno", "benoit", "benoît", "benítez", "berger", "bergmann", "bernadette", "bernard", "bernd",
    "bertrand", "besnard", "beth", "bethany", "bettina", "betty", "beverly", "bhat", "bhatia",
    "bianca", "bianchi", "billy", "birgit", "blanchard", "blom", "bob", "bobby", "bodo", "boehm",
    "boer", "bonnet", "borkowski", "bos", "bose", "bourgeois", "bowman", "boyd", "boyer", "bozena",
    "bożena", "bradley", "bram", "brandon", "brandt", "bravo", "brenda", "brian", "brigitte",
    "brittany", "brooks", "brouwer", "bruce", "brueckner", "bruijn", "bruna", "brunet",
    "brunhilde", "bruno", "bruns", "bryan", "bryant", "bryce", "brzezinski", "brzeziński",
    "brückner", "buchholz", "burak", "burke", "burkhardt", "burns", "burton", "busch", "busra",
    "butler", "bärbel", "böhm", "büşra", "caballero", "cabrera", "cai", "cakir", "caldwell",
    "callum", "calvo", "camila", "camille", "campbell", "campos", "cano", "cao", "cardoso",
    "carina", "carl", "carla", "carlo", "carlos", "carlson", "carmen", "carmona", "carol",
    "carolyn", "caron", "carpentier", "carrasco", "carroll", "carsten", "carter", "caruso",
    "carvalho", "castillo", "castro", "catarina", "catherine", "cattaneo", "cedric", "celik",
    "celine", "cetin", "chan", "chang", "chantal", "chao", "chapman", "charles", "charlotte",
    "charpentier", "chatterjee", "chaudhary", "chauhan", "chavez", "chen", "cheng", "cheryl",
    "chester", "cheung", "chevalier", "chiara", "chiba", "chloe", "chloé", "chmielewska",
    "chmielewski", "cho", "choi", "chopra", "choudhury", "chow", "chris", "christa", "christel",
    "christian", "christina", "christine", "christoph", "christophe", "christopher", "cieslak",
    "cieślak", "claire", "clarence", "clark", "claude", "claudia", "clement", "clive", "clément",
    "coelho", "cole", "coleman", "colin", "colleen", "collet", "collins", "colombo", "concepcion",
    "concepción", "connor", "consuelo", "conti", "cooper", "coppola", "cornelia", "cornelis",
    "correia", "cortes", "cortés", "cox", "crawford", "crespo", "cristina", "cruz", "cui", "cunha",
    "cunningham", "curtis", "cynthia", "czarnecki", "czerwinski", "czerwiński", "cédric", "céline",
    "daan", "dabrowska", "dabrowski", "dagmar", "daiki", "daisuke", "damian", "damien", "dan",
    "daniel", "daniela", "danielle", "daniels", "danny", "danuta", "dariusz", "darren", "dave",
    "david", "davide", "davidson", "davis", "dawid", "deborah", "debra", "declan", "deepak",
    "deepika", "dekker", "delgado", "demir", "deng", "denis", "denise", "dennis", "derek", "derya",
    "desai", "deschamps", "deshpande", "detlef", "diana", "diane", "dias", "diaz", "didier",
    "diego", "dieter", "dietmar", "dietrich", "dijk", "dijkstra", "dinesh", "ding", "diogo",
    "dirk", "dittrich", "divya", "dixon", "diya", "doering", "dogan", "dolores", "domenico",
    "dominguez", "dominik", "domínguez", "don", "donald", "dong", "donna", "dora", "doris",
    "dorota", "dorothea", "dorothy", "doug", "douglas", "doğan", "du", "duan", "dubey", "dubois",
    "duda", "dudek", "dufour", "dumas", "dumont", "duncan", "dunn", "dupont", "dupuis", "dupuy",
    "duran", "durand", "durán", "dutta", "duval", "dwayne", "dylan", "díaz", "döring", "dąbrowska",
    "dąbrowski", "earl", "eberhardt", "ebert", "eckert", "edeltraud", "edith", "eduardo", "edward",
    "edwards", "edwin", "egon", "eleanor", "elena", "eleonore", "elfriede", "elias", "elif",
    "elijah", "elisa", "elisabeth", "elizabeth", "elke", "ella", "elli", "ellie", "elliott",
    "ellis", "elodie", "elzbieta", "elżbieta", "emi", "emil", "emilie", "emily", "emine", "emma",
    "emmanuel", "emmy", "emre", "encarnación", "endo", "endou", "enrique", "erdogan", "erdoğan",
    "eric", "erich", "erika", "erna", "ernst", "erwin", "esposito", "esra", "esteban", "esther",
    "ethan", "eugen", "eugene", "evans", "evelyn", "ewa", "ewald", "ewelina", "fabbri", "fabian",
    "fabio", "fabre", "fang", "fatima", "fatma", "faure", "federica", "federico", "felipe",
    "felix", "femke", "feng", "ferdinand", "ferguson", "fernanda", "fernandes", "fernandez",
    "fernando", "fernández", "ferrara", "ferreira", "ferrer", "ferri", "fiedler", "fink",
    "fischer", "fisher", "fleming", "fletcher", "fleury", "flores", "florian", "floyd", "fonseca",
    "fontaine", "fontana", "foster", "fournier", "fowler", "fox", "frances", "francesca",
    "francesco", "francis", "francisca", "francisco", "franco", "francois", "francoise", "frank",
    "franke", "franklin", "françois", "françoise", "frazier", "fred", "frederic", "freeman",
    "freitas", "frieda", "friedrich", "fritz", "frédéric", "fu", "fuchs", "fuentes", "fujii",
    "fujimoto", "fujita", "fujiwara", "fukuda", "fuller", "gabriel", "gabriele", "gaillard",
    "gajewski", "gallardo", "gallego", "galli", "gallo", "galvez", "ganesh", "gao", "garcia",
    "garcía", "gardner", "gareth", "garnier", "garrett", "garrido", "gary", "gaurav", "gauthier",
    "gautier", "gavin", "geeta", "geiger", "gemma", "gentile", "georg", "george", "gerald",
    "gerard", "gerd", "gerda", "gerhard", "gerlach", "gerrit", "gert", "gertrud", "ghosh", "gil",
    "gilbert", "gilles", "gillian", "gimenez", "giménez", "giordano", "giorgia", "giorgio",
    "giovanni", "girard", "giraud", "gisela", "giulia", "giuseppe", "giuseppina", "glenn",
    "gloria", "glowacki", "goetz", "gomes", "gomez", "goncalo", "goncalves", "gonzales",
    "gonzalez", "gonzález", "gonçalo", "gonçalves", "gordon", "gorska", "gorski", "goto", "gotou",
    "gottfried", "gowda", "graaf", "grabowska", "grabowski", "grace", "graham", "grazia",
    "grazyna", "grażyna", "greco", "greg", "gregor", "gregory", "greta", "griffin", "grimm",
    "groot", "grzegorz", "gu", "gudrun", "guenther", "guerin", "guerrero", "guilherme",
    "guillaume", "guillermo", "guillot", "guiying", "gulsum", "gunter", "guo", "gupta", "gustavo",
    "gutierrez", "gutiérrez", "guyot", "guérin", "gálvez", "gérard", "gómez", "górska", "górski",
    "götz", "gülsüm", "günter", "günther", "głowacki", "haan", "haas", "haase", "hacer", "hahn",
    "halil", "halina", "hamilton", "han", "hanako", "hanna", "hannah", "hannelore", "hannes",
    "hans", "hansen", "hanson", "hao", "hara", "harada", "harald", "harold", "harper", "harriet",
    "harris", "harrison", "harry", "hartmann", "hartmut", "haruka", "haruto", "harvey", "hasan",
    "hasegawa", "hashimoto", "hassan", "hatice", "hauser", "hawkins", "hayashi", "hayes", "hayley",
    "he", "heather", "hegde", "heidi", "heidrun", "heike", "heiko", "heinemann", "heinrich",
    "heinz", "helen", "helene", "helga", "helge", "heller", "helmut", "henderson", "hendrik",
    "hendriks", "henk", "hennig", "henning", "henri", "henriette", "henry", "henryk", "henschel",
    "herbert", "hermann", "hermans", "hernandez", "hernández", "herrera", "herrero", "herrmann",
    "herta", "hertha", "herve", "hervé", "herzog", "hesse", "heuvel", "hicks", "hidalgo",
    "hildebrandt", "hildegard", "hina", "hinz", "hirano", "hiroki", "hiroko", "hiroshi", "ho",
    "hoekstra", "hoffman", "hoffmann", "hofmann", "holger", "holly", "holmes", "hong", "hopkins",
    "hoppe", "horst", "horton", "hou", "howard", "howell", "hu", "hua", "huang", "huber", "hubert",
    "huebel", "huet", "hughes", "hugo", "hui", "huisman", "hulya", "huseyin", "hussein", "hwang",
    "hélène", "hübel", "hülya", "hüseyin", "ian", "ibanez", "ibrahim", "ibáñez", "ichiro", "ida",
    "iglesias", "ignacio", "ikeda", "ilona", "ilse", "imai", "imogen", "ines", "inge", "ingo",
    "ingrid", "inmaculada", "inoue", "inès", "inês", "irena", "irene", "irmgard", "isabel",
    "isabella", "isabelle", "isha", "ishaan", "ishida", "ishii", "ishikawa", "ismail", "ito",
    "itou", "ivonne", "iwasaki", "iwona", "iyer", "izabela", "jablonska", "jablonski", "jabłońska",
    "jabłoński", "jacek", "jack", "jackson", "jacob", "jacobs", "jacobus", "jacqueline", "jacques",
    "jacquet", "jadwiga", "jaeger", "jaime", "jain", "jakob", "jakub", "jakubowska", "jakubowski",
    "james", "jamie", "jan", "jana", "jane", "janet", "jang", "janice", "janina", "jankowska",
    "jankowski", "jansen", "janssen", "janusz", "jaroslaw", "jarosław", "jasinski", "jasiński",
    "jasmin", "jason", "javier", "jaworska", "jaworski", "jean", "jeanne", "jeff", "jeffrey",
    "jenkins", "jennifer", "jennings", "jenny", "jens", "jensen", "jeremy", "jeroen", "jerome",
    "jerry", "jerzy", "jesse", "jessica", "jesus", "jesús", "jia", "jian", "jiang", "jie", "jill",
    "jim", "jimenez", "jimmy", "jiménez", "jin", "jing", "jiro", "joachim", "joan", "joana",
    "joanna", "joanne", "joao", "joaquin", "joaquín", "jochen", "joe", "joerg", "johann",
    "johanna", "johannes", "john", "johnny", "johnson", "johnston", "jolanta", "joly", "jon",
    "jonas", "jonathan", "jones", "jong", "jonker", "joost", "jorge", "jose", "josef", "josefa",
    "josefine", "joseph", "josette", "joshi", "joshua", "josé", "joyce", "jozef", "joão", "juan",
    "judith", "judy", "juergen", "julia", "juliana", "julie", "julien", "juliette", "julius",
    "jun", "junko", "justin", "justyna", "jutta", "jyoti", "jäger", "jérôme", "józef", "jörg",
    "jürgen", "kadir", "kai", "kaiser", "kaito", "kalinowska", "kalinowski", "kamil", "kaminska",
    "kaminski", "kamińska", "kamiński", "kaneko", "kang", "kapoor", "karan", "karen", "karin",
    "karl", "karla", "karol", "karolina", "katarzyna", "kate", "katharina", "katherine",
    "kathleen", "kathrin", "kathryn", "katie", "kato", "katou", "katrin", "kaufmann", "kaul",
    "kavita", "kavya", "kaya", "kayla", "kazimierz", "kazmierczak", "kazuki", "kazuko", "kazuya",
    "kaźmierczak", "kees", "keiko", "keith", "keller", "kelly", "kemal", "ken", "kenji", "kennedy",
    "kenneth", "kenta", "kerry", "kerstin", "kevin", "khalid", "khan", "khanna", "kieran",
    "kikuchi", "kilic", "kim", "kimberly", "kimura", "kinoshita", "kiran", "kirsty", "klara",
    "klaus", "klemm", "kobayashi", "koc", "koehler", "koenig", "koester", "kojima", "kok", "kolb",
    "kolodziej", "kondo", "kondou", "kong", "konrad", "konstantin", "korkmaz", "koster", "kosuke",
    "kowalczyk", "kowalska", "kowalski", "kozlowska", "kozlowski", "kozłowska", "kozłowski", "koç",
    "kołodziej", "kraemer", "krajewski", "kramer", "kraus", "krause", "krawczyk", "kretschmer",
    "krishna", "krishnan", "kristin", "krueger", "krystyna", "krzysztof", "krämer", "krüger",
    "kubiak", "kubo", "kucharska", "kucharski", "kudo", "kudou", "kuehn", "kuhn", "kuiper",
    "kuipers", "kulkarni", "kumar", "kumiko", "kunz", "kurt", "kwiatkowska", "kwiatkowski", "kwok",
    "kwon", "kyle", "kyoko", "köhler", "könig", "köster", "kühn", "kılıç", "lacroix", "laetitia",
    "lakshmi", "lam", "lambert", "larissa", "larry", "lars", "larson", "laskowski", "lau", "laura",
    "lauren", "laurent", "lawrence", "lawson", "layla", "lea", "leanne", "lebrun", "leclerc",
    "leclercq", "lecomte", "lee", "leeuwen", "lefebvre", "lefevre", "lefèvre", "legrand",
    "lehmann", "lei", "lemaire", "lemoine", "lena", "lennart", "leon", "leonardo", "leone",
    "leonie", "leonor", "leopold", "leroux", "leroy", "lesley", "leszek", "leticia", "letícia",
    "leung", "lewandowska", "lewandowski", "lewis", "leyla", "li", "liam", "liane", "liang",
    "liao", "lieke", "lieselotte", "lim", "lin", "linda", "linden", "lindner", "ling", "lisa",
    "liselotte", "liu", "liz", "logan", "lohmann", "lombardi", "lombardo", "longo", "lopes",
    "lopez", "lorenz", "lorenzo", "lori", "lorraine", "lothar", "lotte", "louis", "lowe", "lozano",
    "lu", "luc", "luca", "lucas", "lucia", "luciano", "lucie", "lucy", "lucía", "ludwig", "luigi",
    "luis", "luise", "lukas", "lukasz", "luo", "lutz", "luís", "lynch", "léa", "lópez", "ma",
    "maarten", "machado", "maciej", "maciejewska", "maciejewski", "maeda", "magdalena", "mahesh",
    "mahmut", "mai", "maier", "maillard", "majewska", "majewski", "makoto", "makowski",
    "malgorzata", "malhotra", "malinowska", "malinowski", "malte", "mancini", "manfred", "manju",
    "manoj", "manon", "manuel", "manuela", "mao", "marc", "marcel", "marchal", "marchand",
    "marchetti", "marcin", "marciniak", "marco", "marcos", "marcus", "marek", "margaret",
    "margarete", "margarita", "margaux", "margit", "margot", "maria", "mariam", "mariana",
    "mariani", "marianne", "marie", "marieke", "marilyn", "marin", "marina", "marino", "mario",
    "marius", "mariusz", "mark", "markus", "marlene", "marloes", "marques", "marquez", "marta",
    "martha", "martin", "martina", "martine", "martinelli", "martinez", "martins", "marty",
    "martín", "martínez", "maruyama", "marx", "mary", "marzena", "marín", "massimo", "masson",
    "masuda", "mateusz", "matheus", "mathieu", "mathilde", "matos", "matsuda", "matsui",
    "matsumoto", "matsuo", "matt", "matteo", "matthew", "matthews", "matthias", "maureen",
    "maurer", "maurizio", "max", "maxime", "maximilian", "mayer", "mayumi", "mazur", "mazurek",
    "małgorzata", "medina", "meena", "megan", "megumi", "mehmet", "mehta", "mei", "meier",
    "meijer", "meike", "meissner", "meißner", "melanie", "melissa", "menard", "mendes", "mendez",
    "mendoza", "meng", "menon", "menzel", "mercier", "merkel", "merve", "meunier", "meyer", "mia",
    "michael", "michal", "michalak", "michalska", "michalski", "michał", "michel", "michele",
    "michelle", "michiko", "miguel", "mike", "mila", "miller", "min", "ming", "mio", "miroslaw",
    "mirosław", "misaki", "mishra", "mitchell", "miura", "miyamoto", "miyazaki", "moeller",
    "mohamed", "mohammed", "mohan", "mohr", "molina", "molly", "monika", "monique", "monteiro",
    "montero", "montgomery", "montserrat", "moore", "morales", "moreau", "moreira", "morel",
    "moreno", "moretti", "morgan", "mori", "morin", "morita", "moritz", "morris", "morrison",
    "moulin", "moya", "mueller", "muhammad", "mukesh", "mukherjee", "mulder", "muller", "munoz",
    "murakami", "murat", "murata", "murphy", "murray", "mustafa", "muñoz", "myers", "márquez",
    "ménard", "méndez", "möller", "müller", "na", "nadine", "nadja", "naidu", "nair", "nakagawa",
    "nakajima", "nakamura", "nakano", "nakayama", "nanami", "nancy", "naoki", "naoko", "natalia",
    "natalie", "natascha", "nathalie", "nathan", "naumann", "navarro", "naveen", "neal", "neha",
    "neil", "nelson", "neumann", "neves", "newman", "ng", "nguyen", "nicholas", "nichols", "nick",
    "nicola", "nicolas", "nicole", "niels", "nieto", "nigel", "nikhil", "niklas", "nils", "nina",
    "ning", "nisha", "nishimura", "noack", "noah", "noel", "noguchi", "nomura", "noor", "norbert",
    "noriko", "nowak", "nowakowska", "nowakowski", "nowicka", "nowicki", "noël", "nunes", "nuno",
    "nuria", "obrien", "oceane", "océane", "odette", "ogawa", "ohno", "okada", "okamoto", "olaf",
    "olga", "oliveira", "oliver", "olivia", "olivier", "olson", "olszewska", "olszewski", "omar",
    "omer", "onishi", "ono", "oota", "ortega", "ortiz", "ortmann", "oscar", "oskar", "osman",
    "ostrowska", "ostrowski", "oswald", "ota", "otsuka", "ott", "owen", "owens", "ozdemir",
    "ozkan", "ozlem", "ozturk", "pablo", "pallavi", "palmer", "pamela", "pandey", "paola", "paolo",
    "parisi", "parker", "parra", "pascal", "pascual", "pastor", "pat", "patel", "patil",
    "patricia", "patrick", "patryk", "patterson", "paul", "paula", "paulina", "pauline", "paulo",
    "pawel", "paweł", "pawlak", "pawlowska", "pawlowski", "pawłowska", "pawłowski", "payne",
    "pearson", "pedro", "peeters", "pena", "peng", "pereira", "perez", "perkins", "perrin",
    "perrot", "perry", "peter", "peters", "petersen", "peterson", "petra", "peña", "pfeiffer",
    "phil", "philip", "philipp", "philippe", "phillips", "phoebe", "picard", "pierce", "pierre",
    "pieter", "pietro", "pietrzak", "pilar", "pillai", "pinto", "piotr", "piotrowska",
    "piotrowski", "pires", "pohl", "poirier", "polat", "pons", "pooja", "popp", "porter", "postma",
    "powell", "pradeep", "prakash", "prasad", "praveen", "preeti", "preuss", "preuß", "prevost",
    "prieto", "prins", "priya", "przemyslaw", "przemysław", "przybylski", "prévost", "pérez",
    "qian", "qiang", "qin", "qiu", "rachel", "radha", "rafael", "rafal", "rafał", "rahul",
    "raimund", "rainer", "rajesh", "rakesh", "ralf", "ralph", "raman", "ramazan", "ramesh",
    "ramirez", "ramon", "ramos", "ramírez", "ramón", "randy", "rao", "raquel", "rau", "raul",
    "ravi", "raymond", "raúl", "rebecca", "rebekah", "recep", "reddy", "regina", "regis",
    "reichert", "reid", "reiner", "reinhard", "reinhardt", "reis", "rekha", "ren", "renard",
    "renata", "renate", "renaud", "rene", "renee", "rené", "renée", "reuter", "reyansh", "reyes",
    "reynolds", "rhys", "ribeiro", "ricardo", "riccardo", "ricci", "richard", "richards",
    "richardson", "richter", "ricky", "rico", "riedel", "riku", "riley", "rin", "rinaldi", "rita",
    "rivera", "riviere", "rivière", "riya", "rizzo", "robert", "roberto", "roberts", "robertson",
    "robin", "robinson", "rocha", "roche", "rocio", "rocío", "rodrigo", "rodrigues", "rodriguez",
    "rodríguez", "roger", "rogers", "rohan", "rohit", "rojas", "roland", "rolf", "rolland",
    "roman", "romano", "romero", "román", "ron", "ronald", "rosario", "rosemary", "ross", "rossi",
    "roth", "rothe", "rousseau", "roussel", "roux", "roy", "royer", "ruben", "rubio", "rubén",
    "rudolf", "rudolph", "rui", "ruiz", "rupp", "russell", "russo", "ruth", "rutkowska",
    "rutkowski", "ryan", "ryota", "ryszard", "régis", "rüdiger", "sabine", "sabrina", "sachiko",
    "sachin", "sadowska", "sadowski", "saez", "sahin", "sai", "saito", "saitou", "sakai",
    "sakamoto", "sakura", "sakurai", "salma", "salvador", "salvatore", "sam", "samantha", "samuel",
    "sanchez", "sandeep", "sander", "sanders", "sandra", "sandrine", "sanjana", "sanjay", "sanne",
    "sano", "santana", "santiago", "santis", "santoro", "santos", "sanz", "sara", "sarah",
    "sasaki", "sascha", "saskia", "sato", "satoshi", "satou", "sauer", "savita", "sawicka",
    "sawicki", "saxena", "schaefer", "schilling", "schlegel", "schmid", "schmidt", "schmitt",
    "schmitz", "schneider", "scholten", "scholz", "schouten", "schrader", "schreiber", "schroeder",
    "schroeter", "schröder", "schröter", "schubert", "schulte", "schulz", "schulze", "schumacher",
    "schuster", "schwab", "schäfer", "scott", "sean", "sebastian", "sebastien", "seidel",
    "seifert", "sem", "sen", "seo", "serge", "sergej", "sergio", "serife", "serra", "serrano",
    "shah", "shane", "sharma", "sharon", "shaw", "sheila", "shelton", "shen", "shetty", "shi",
    "shibata", "shimizu", "shin", "shirley", "shota", "shreya", "shun", "shweta", "siddharth",
    "siebert", "siegfried", "sieglinde", "sigrid", "sikora", "sikorska", "sikorski", "silke",
    "silva", "silvia", "simmons", "simoes", "simon", "simone", "simpson", "sims", "simsek",
    "simões", "singh", "sinha", "sita", "slawomir", "smit", "smith", "smits", "sneha", "snyder",
    "soares", "sobczak", "sofia", "sokolowski", "sokołowski", "soler", "sonia", "sonja", "sophia",
    "sophie", "sota", "soto", "sousa", "souza", "spencer", "sperling", "srivastava", "stanislaw",
    "stanisław", "stanisława", "stefan", "stefanie", "stefano", "steffen", "steiner", "stephan",
    "stephane", "stephanie", "stephen", "stephens", "stepien", "steve", "steven", "stevens",
    "stewart", "stijn", "strauss", "strauß", "stuart", "stéphane", "stępień", "su", "suarez",
    "subramanian", "sue", "sugawara", "sugimoto", "sugiyama", "suleyman", "sullivan", "sultan",
    "sunil", "sunita", "suresh", "susan", "susana", "susanne", "sutton", "suzuki", "suárez",
    "sven", "svenja", "swati", "sylvain", "sylvie", "sylwia", "szczepanski", "szczepański",
    "szewczyk", "szulc", "szymanska", "szymanski", "szymańska", "szymański", "szymczak", "szymon",
    "sáez", "sánchez", "sébastien", "süleyman", "sławomir", "tadeusz", "takada", "takagi",
    "takahashi", "takashi", "takeda", "takeshi", "takeuchi", "takuya", "tamura", "tanaka", "tang",
    "taniguchi", "tanja", "tao", "taro", "tarou", "tatjana", "tavares", "taylor", "ted",
    "teixeira", "teresa", "tess", "tetsuya", "thakur", "thea", "theo", "theresa", "therese",
    "thiel", "thiele", "thierry", "thijs", "thomas", "thompson", "thorsten", "théo", "thérèse",
    "tiago", "tian", "till", "tim", "timmermans", "timo", "timothy", "tina", "tiwari", "tobias",
    "todd", "tom", "tomasz", "tomaszewska", "tomaszewski", "tomoko", "tomoya", "tony", "torres",
    "torsten", "tracey", "tracy", "travis", "trevor", "tripathi", "troy", "tsang", "tse", "tucker",
    "turner", "tyler", "uchida", "udo", "ueda", "ueno", "ulf", "ulrich", "ulrike", "unger",
    "urbanski", "urbański", "ursula", "urszula", "usha", "uta", "ute", "uwe", "valentin",
    "valentina", "valerie", "valérie", "vanessa", "vargas", "varun", "vasquez", "vasseur",
    "vazquez", "veen", "veenstra", "velasco", "venkatesh", "vera", "verhoeven", "verma", "vermeer",
    "vermeulen", "veronique", "vicente", "victor", "victoria", "vidal", "vieira", "vijay", "vikas",
    "vikram", "vincent", "vincenzo", "virginie", "visser", "vitale", "vitoria", "vitória",
    "vivaan", "voelker", "vogt", "voigt", "volker", "vos", "voss", "vries", "vázquez", "véronique",
    "víctor", "völker", "wada", "wagner", "walczak", "waldemar", "walker", "wallace", "walter",
    "walters", "walther", "waltraud", "wanda", "wang", "warren", "wasilewski", "watanabe",
    "watkins", "watson", "wayne", "webb", "weber", "wegner", "wei", "weis", "weise", "welch",
    "wen", "wendt", "wendy", "wenzel", "werner", "wheeler", "wiebke", "wieczorek", "wiegand",
    "wieslaw", "wiesław", "wilfried", "wilhelm", "wilhelmina", "willem", "willems", "willi",
    "william", "williams", "williamson", "willie", "willis", "wilson", "winfried", "winkler",
    "wisniewska", "wisniewski", "witkowska", "witkowski", "witt", "wiśniewska", "wiśniewski",
    "wlodarczyk", "wojciech", "wojcik", "wolff", "wolfgang", "wolfram", "wolter", "wong", "wouter",
    "wouters", "wozniak", "woźniak", "wright", "wrobel", "wroblewski", "wróbel", "wróblewski",
    "wu", "wysocka", "wysocki", "wójcik", "włodarczyk", "xavier", "xia", "xiao", "xiaoming", "xie",
    "xin", "xiong", "xiuying", "xu", "xue", "yadav", "yamada", "yamaguchi", "yamamoto",
    "yamashita", "yamazaki", "yan", "yang", "yannick", "yao", "yasemin", "ye", "yi", "yildirim",
    "yildiz", "yilmaz", "yin", "ying", "yip", "yoko", "yokoyama", "yolanda", "yong", "yoon",
    "yoshida", "yoshiko", "youssef", "yu", "yuan", "yui", "yuka", "yuki", "yumiko", "yun", "yuna",
    "yusuf", "yusuke", "yuto", "yuya", "yves", "yvette", "yvonne", "yıldırım", "yıldız", "yılmaz",
    "zachary", "zainab", "zajac", "zając", "zakrzewski", "zalewska", "zalewski", "zander",
    "zawadzka", "zawadzki", "zbigniew", "zeng", "zeynep", "zhang", "zhao", "zheng", "zhong",
    "zhou", "zhu", "ziegler", "zielinska", "zielinski", "zielińska", "zieliński", "zimmermann",
    "zoe", "zofia", "zou", "álvarez", "álvaro", "ángel", "çakır", "çelik", "çetin", "élodie",
    "émilie", "éric", "óscar", "ömer", "özdemir", "özkan", "özlem", "öztürk", "łukasz", "şahin",
    "şerife", "şimşek",
];

/// Words of products, organisational units, services and places, lower
/// case and sorted by bytes. None of them is in [`NAME_WORDS`].
#[rustfmt::skip]
const NON_PERSON_WORDS: &[&str] = &[
    "academy", "account", "accounting", "accounts", "adapter", "administration", "agency",
    "airport", "alliance", "apartment", "apartments", "api", "app", "archive", "area", "assistant",
    "association", "avenue", "backend", "backup", "bag", "basic", "basket", "battery", "bay",
    "beach", "bed", "bench", "bike", "billing", "blue", "board", "book", "bookcase", "bottle",
    "box", "branch", "bridge", "building", "bundle", "bureau", "cabinet", "cable", "cafe",
    "camera", "campus", "candle", "card", "carpet", "case", "catalog", "catalogue", "center",
    "central", "centre", "chair", "charger", "city", "clinic", "club", "cluster", "coat",
    "collection", "committee", "computer", "console", "consulting", "council", "county", "court",
    "cover", "cup", "cushion", "database", "deluxe", "department", "design", "desk", "development",
    "dining", "district", "division", "dock", "drawer", "dress", "drill", "edition", "engine",
    "engineering", "equipment", "estate", "facilities", "filter", "finance", "floor", "frame",
    "frontend", "furniture", "garden", "gateway", "hall", "hardware", "hat", "headquarters",
    "helpdesk", "hospital", "hotel", "hotline", "house", "hub", "industries", "infrastructure",
    "insurance", "interior", "jacket", "job", "kettle", "keyboard", "kit", "kitchen", "lab",
    "laboratory", "lake", "lamp", "laptop", "legal", "library", "light", "lite", "logistics",
    "lounge", "lower", "management", "manufacturers", "market", "marketing", "mat", "media",
    "mitte", "model", "module", "monitor", "mountain", "mouse", "mug", "museum", "network", "new",
    "north", "notebook", "office", "operations", "orange", "outlet", "pack", "package", "pad",
    "pants", "park", "payroll", "pen", "pencil", "pharmacy", "pillow", "pipeline", "plan", "plate",
    "platform", "plaza", "port", "portal", "premium", "printer", "pro", "procurement", "project",
    "proxy", "purchasing", "queue", "rack", "reception", "red", "region", "research", "restaurant",
    "river", "road", "room", "rug", "sales", "school", "screen", "security", "server", "service",
    "services", "set", "shelf", "shipping", "shirt", "shoe", "shoes", "shop", "sneaker",
    "sneakers", "sofa", "software", "solutions", "south", "speaker", "square", "staff", "stand",
    "standing", "station", "stool", "storage", "store", "street", "studio", "suite", "supplies",
    "support", "system", "table", "tablet", "team", "tent", "terminal", "tool", "tools", "towel",
    "tower", "town", "tray", "unit", "university", "upper", "valley", "vase", "village", "wallet",
    "warehouse", "watch", "web", "west", "worker", "workshop",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_sorted_lower_case_and_disjoint() {
        for list in [NAME_WORDS, NON_PERSON_WORDS] {
            for pair in list.windows(2) {
                assert!(pair[0] < pair[1], "{} before {}", pair[0], pair[1]);
            }
            for word in list {
                assert_eq!(*word, word.to_lowercase(), "{word}");
            }
        }
        for word in NON_PERSON_WORDS {
            assert!(NAME_WORDS.binary_search(word).is_err(), "{word}");
        }
    }

    #[test]
    fn listed_names_are_evidence_of_people() {
        for value in [
            "Jane Doe",
            "DOE, JANE",
            "Hans-Peter Müller",
            "Hans-Peter Mu\u{0308}ller",
            "Jürgen MUELLER",
            "François Dupont",
            "José García",
            "Giulia Rossi",
            "João Silva",
            "Pieter de Vries",
            "Łukasz Nowak",
            "İbrahim Yılmaz",
            "Wang Fang",
            "Yuki Tanaka",
            "Priya Sharma",
            "O'Brien",
            "王小明",
            "佐藤 太郎",
        ] {
            assert_eq!(
                word_evidence(value.as_bytes()),
                WordEvidence::Person,
                "{value}"
            );
        }
    }

    #[test]
    fn products_teams_and_places_are_not_people() {
        for value in [
            "Standing Desk",
            "Office Chair",
            "Finance Department",
            "Support Desk",
            "Sales Team",
            "New York",
            "Berlin Mitte",
            "Order Service",
            "Wang Desk",
        ] {
            assert_eq!(
                word_evidence(value.as_bytes()),
                WordEvidence::NotPerson,
                "{value}"
            );
        }
        for value in ["Berlin", "Prospects", "Wood Corner", "Acme", "办公椅"] {
            assert_eq!(
                word_evidence(value.as_bytes()),
                WordEvidence::Unknown,
                "{value}"
            );
        }
    }
}
