use super::*;

fn roles_of(key: &str) -> Roles {
    classify(key.as_bytes())
}

#[test]
fn names_table_is_sorted_for_binary_search() {
    for pair in NAMES.windows(2) {
        assert!(pair[0].0.as_bytes() < pair[1].0.as_bytes(), "{}", pair[1].0);
    }
}

#[test]
fn keys_split_into_word_tokens() {
    let cases: [(&str, &[&str]); 9] = [
        ("firstName", &["first", "name"]),
        (
            "BusinessPartnerFullName",
            &["business", "partner", "full", "name"],
        ),
        ("IBANNumber", &["iban", "number"]),
        ("address_line_1", &["address", "line", "1"]),
        ("icd10", &["icd", "10"]),
        ("Account: Phone", &["account", "phone"]),
        ("cbc:ElectronicMail", &["cbc", "electronic", "mail"]),
        ("收货人姓名", &["收货人姓名"]),
        ("IP地址", &["ip", "地址"]),
    ];
    for (key, expected) in cases {
        let tokens = Tokens::split(key.as_bytes());
        let found: Vec<&str> = (0..tokens.count)
            .map(|index| std::str::from_utf8(tokens.get(index)).unwrap())
            .collect();
        assert_eq!(found, expected, "{key}");
    }
}

#[test]
fn known_keys_give_their_roles() {
    let cases = [
        ("phone", Roles::PHONE),
        ("Contact: Phone", Roles::PHONE),
        ("Account: Phone", Roles::PHONE),
        ("mobile_no", Roles::PHONE),
        ("telefon", Roles::PHONE),
        ("電話", Roles::PHONE),
        ("电话", Roles::PHONE),
        ("手机号码", Roles::PHONE),
        ("id_number", Roles::CN_ID),
        ("身份证号", Roles::CN_ID),
        ("sfz", Roles::CN_ID),
        ("idCard", Roles::CN_ID),
        ("ssn", Roles::SSN),
        ("social_security_number", Roles::SSN),
        ("ni_number", Roles::NINO),
        ("passport_no", Roles::PASSPORT),
        ("护照", Roles::PASSPORT),
        ("Reisepass", Roles::PASSPORT),
        ("passeport", Roles::PASSPORT),
        ("旅券", Roles::PASSPORT),
        ("account", Roles::BANK_ACCOUNT),
        ("acctNo", Roles::BANK_ACCOUNT),
        ("account_number", Roles::BANK_ACCOUNT),
        ("bank_account", Roles::BANK_ACCOUNT),
        ("DFI account", Roles::BANK_ACCOUNT),
        ("Kontonummer", Roles::BANK_ACCOUNT),
        ("账号", Roles::BANK_ACCOUNT),
        ("银行卡号", Roles::BANK_ACCOUNT),
        ("开户账号", Roles::BANK_ACCOUNT),
        ("dob", Roles::DATE_OF_BIRTH),
        ("date_of_birth", Roles::DATE_OF_BIRTH),
        ("birthDate", Roles::DATE_OF_BIRTH),
        ("BirthDate", Roles::DATE_OF_BIRTH),
        ("birthday", Roles::DATE_OF_BIRTH),
        ("出生日期", Roles::DATE_OF_BIRTH),
        ("生年月日", Roles::DATE_OF_BIRTH),
        ("Geburtsdatum", Roles::DATE_OF_BIRTH),
        ("date_de_naissance", Roles::DATE_OF_BIRTH),
        ("first_name", Roles::PERSON_NAME),
        ("lastName", Roles::PERSON_NAME),
        ("FirstName", Roles::PERSON_NAME),
        ("full_name", Roles::PERSON_NAME),
        ("name_full", Roles::PERSON_NAME),
        ("NAME_FIRST", Roles::PERSON_NAME),
        ("NAMEMIDDLE", Roles::PERSON_NAME),
        ("employee_name", Roles::PERSON_NAME),
        ("lead_name", Roles::PERSON_NAME),
        ("contact_name", Roles::PERSON_NAME),
        ("Contact: First Name", Roles::PERSON_NAME),
        ("BusinessPartnerFullName", Roles::PERSON_NAME),
        ("PersonName", Roles::PERSON_NAME),
        ("姓名", Roles::PERSON_NAME),
        ("联系人", Roles::PERSON_NAME),
        ("收货人", Roles::PERSON_NAME),
        ("氏名", Roles::PERSON_NAME),
        ("Vorname", Roles::PERSON_NAME),
        ("Nachname", Roles::PERSON_NAME),
        ("nom", Roles::PERSON_NAME),
        ("prénom", Roles::PERSON_NAME),
        ("name", Roles::ANY_NAME.union(Roles::GENERIC_NAME)),
        ("customer_name", Roles::ANY_NAME),
        ("contact", Roles::ANY_NAME.union(Roles::GENERIC_NAME)),
        ("address", Roles::ADDRESS),
        ("shipping_address", Roles::ADDRESS),
        ("address_line_1", Roles::ADDRESS),
        ("AddressLine2", Roles::ADDRESS),
        ("地址", Roles::ADDRESS),
        ("收货地址", Roles::ADDRESS),
        ("住所", Roles::ADDRESS),
        ("Anschrift", Roles::ADDRESS),
        ("adresse", Roles::ADDRESS),
        ("street", Roles::STREET),
        ("street_name", Roles::STREET),
        ("StreetName", Roles::STREET),
        ("StrtNm", Roles::STREET),
        ("Straße", Roles::STREET),
        ("diagnosis", Roles::HEALTH),
        ("Diagnose", Roles::HEALTH),
        ("icd10", Roles::HEALTH),
        ("medical", Roles::HEALTH),
        ("诊断", Roles::HEALTH),
        ("病历", Roles::HEALTH),
        ("病名", Roles::HEALTH),
        ("condition", Roles::HEALTH_CODE),
        ("nhs_number", Roles::NHS_NUMBER),
        ("npi", Roles::NPI),
        ("faceFeature", Roles::BIOMETRIC),
        ("face_template", Roles::BIOMETRIC),
        ("voiceprint", Roles::BIOMETRIC),
        ("人脸", Roles::BIOMETRIC),
        ("指纹", Roles::BIOMETRIC),
        ("虹膜", Roles::BIOMETRIC),
        ("fingerprint", Roles::BIOMETRIC_BLOB),
        ("iris", Roles::BIOMETRIC_BLOB),
        ("gps", Roles::COORDINATES),
        ("geo", Roles::COORDINATES),
        ("coordinates", Roles::COORDINATES),
        ("location", Roles::COORDINATES),
        ("定位", Roles::COORDINATES),
        ("行踪", Roles::COORDINATES),
        ("lat", Roles::LATITUDE),
        ("latitude", Roles::LATITUDE),
        ("lng", Roles::LONGITUDE),
        ("lon", Roles::LONGITUDE),
        ("app_version", Roles::VERSION),
        ("版本号", Roles::VERSION),
        ("contacts[0][adresse]", Roles::ADDRESS),
        (
            "inquiries[3][name]",
            Roles::ANY_NAME.union(Roles::GENERIC_NAME),
        ),
        ("items.2.phone", Roles::PHONE),
        ("NAME1", Roles::ANY_NAME.union(Roles::GENERIC_NAME)),
        ("STRAS", Roles::STREET),
        ("TELF1", Roles::PHONE),
        ("BANKN", Roles::BANK_ACCOUNT),
        ("acc_number", Roles::BANK_ACCOUNT),
        ("bank_ac_no", Roles::BANK_ACCOUNT),
        ("passport_id", Roles::PASSPORT),
        ("ssnid", Roles::SSN),
        ("practitioner_name", Roles::PERSON_NAME),
        ("technician", Roles::PERSON_NAME),
        ("Nm", Roles::ANY_NAME.union(Roles::GENERIC_NAME)),
        ("kana", Roles::PERSON_NAME),
        ("フリガナ", Roles::PERSON_NAME),
        ("医生", Roles::PERSON_NAME),
        ("EAN", Roles::REFERENCE),
        ("单据号", Roles::REFERENCE),
    ];
    for (key, expected) in cases {
        assert_eq!(roles_of(key), expected, "{key}");
    }
}

#[test]
fn substrings_of_tokens_give_no_role() {
    for key in [
        "public",
        "publicKey",
        "licence_public",
        "nominal",
        "filename",
        "file_name",
        "username",
        "user_name",
        "hotel",
        "telemetry",
        "phonebook",
        "phone_type",
        "email_address",
        "EmailAddress",
        "ip_address",
        "IP地址",
        "邮箱地址",
        "FormOfAddress",
        "company_name",
        "Account: Account Name",
        "link_name",
        "product_name",
        "OrganizationBPName1",
        "CityName",
        "city",
        "zip",
        "postcode",
        "HouseNumber",
        "gl_account",
        "account_id",
        "accountType",
        "id",
        "order_id",
        "BusinessPartnerBirthDateStatus",
        "date_of_joining",
        "品名",
        "名称",
        "customer",
        "technician_id",
        "",
    ] {
        assert_eq!(roles_of(key), Roles::NONE, "{key}");
    }
}

#[test]
fn overlong_keys_give_no_role() {
    let key = format!("{}_phone", "x".repeat(MAX_KEY_BYTES));
    assert_eq!(roles_of(&key), Roles::NONE);
}

#[test]
fn cache_returns_what_classify_returns() {
    let mut cache = KeyCache::default();
    for key in ["phone", "name", "address", "phone", "sku", "name"] {
        assert_eq!(
            cache.roles(key.as_bytes()),
            classify(key.as_bytes()),
            "{key}"
        );
    }
}

#[test]
fn cache_tells_apart_keys_of_every_length() {
    let mut cache = KeyCache::default();
    for length in 1..=MAX_KEY_BYTES {
        let stem = "x".repeat(length - 1);
        let marked = format!("{stem}a");
        cache.mark_clean_name(marked.as_bytes());
        assert!(cache.is_clean_name(marked.as_bytes()), "{marked}");
    }
    for length in 1..=MAX_KEY_BYTES {
        let other = format!("{}b", "x".repeat(length - 1));
        assert!(!cache.is_clean_name(other.as_bytes()), "{other}");
        let shorter = "x".repeat(length);
        assert!(!cache.is_clean_name(shorter.as_bytes()), "{shorter}");
    }
    for key in ["phone", "customer_phone", "a_rather_long_key_for_a_phone"] {
        assert_eq!(
            cache.roles(key.as_bytes()),
            classify(key.as_bytes()),
            "{key}"
        );
    }
}

#[test]
fn plural_keys_take_the_roles_of_their_singular() {
    for (key, roles) in [
        ("phones", Roles::PHONE),
        ("phoneNumbers", Roles::PHONE),
        ("businessPhones", Roles::PHONE),
        ("MOBILES", Roles::PHONE),
        ("passports", Roles::PASSPORT),
        ("addresses", Roles::ADDRESS),
        ("birthdays", Roles::DATE_OF_BIRTH),
        ("names", Roles::ANY_NAME),
    ] {
        assert!(roles_of(key).contains(roles), "{key}");
    }
    // Only a plural ending is removed, and only from a key without roles.
    for key in ["status", "class", "ids", "notes", "is"] {
        assert_eq!(roles_of(key), Roles::NONE, "{key}");
    }
}

#[test]
fn phone_keys_in_spanish_italian_and_portuguese() {
    for key in [
        "Teléfono",
        "Móvil",
        "movil",
        "celular",
        "cellulare",
        "telemóvel",
    ] {
        assert_eq!(roles_of(key), Roles::PHONE, "{key}");
    }
}

#[test]
fn description_keys_give_no_role() {
    // `attn: Accounts Payable`, `employee: Full Time`, `patient: Inpatient`
    // and `beneficiary: Tax Office` have the shape of names.
    for key in [
        "attn",
        "employee",
        "patient",
        "cardholder",
        "recipient",
        "beneficiary",
    ] {
        assert_eq!(roles_of(key), Roles::NONE, "{key}");
    }
}

#[test]
fn regional_and_sap_keys_have_roles() {
    for (key, roles) in [
        ("Ansprechpartner", Roles::PERSON_NAME),
        ("kunden_name", Roles::PERSON_NAME),
        ("Empfänger", Roles::PERSON_NAME),
        ("fname", Roles::PERSON_NAME),
        ("VORNA", Roles::PERSON_NAME),
        ("achternaam", Roles::PERSON_NAME),
        ("名前", Roles::PERSON_NAME),
        ("お名前", Roles::PERSON_NAME),
        ("이름", Roles::PERSON_NAME),
        ("Handynummer", Roles::PHONE),
        ("联系方式", Roles::PHONE),
        ("Vorerkrankungen", Roles::HEALTH),
        ("bloodType", Roles::HEALTH),
        ("診断名", Roles::HEALTH),
        ("GBDAT", Roles::DATE_OF_BIRTH),
        ("geboortedatum", Roles::DATE_OF_BIRTH),
        ("dataNascimento", Roles::DATE_OF_BIRTH),
        ("Reisepassnr", Roles::PASSPORT),
        ("Lieferadresse", Roles::ADDRESS),
    ] {
        assert!(roles_of(key).contains(roles), "{key}: {:?}", roles_of(key));
    }
}
