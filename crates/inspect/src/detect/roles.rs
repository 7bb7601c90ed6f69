//! What a field name says about its value: the roles that key context can
//! give a segment.

use std::fmt;

/// A set of roles, one bit each.
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
pub(crate) struct Roles(u32);

impl Roles {
    pub(crate) const NONE: Roles = Roles(0);
    /// A phone number: bare national numbers count.
    pub(crate) const PHONE: Roles = Roles(1 << 0);
    /// A Chinese ID number: the 15-digit legacy form counts.
    pub(crate) const CN_ID: Roles = Roles(1 << 1);
    /// A US social security number: nine unseparated digits count.
    pub(crate) const SSN: Roles = Roles(1 << 2);
    /// A UK national insurance number: lower case counts.
    pub(crate) const NINO: Roles = Roles(1 << 3);
    pub(crate) const PASSPORT: Roles = Roles(1 << 4);
    pub(crate) const BANK_ACCOUNT: Roles = Roles(1 << 5);
    pub(crate) const DATE_OF_BIRTH: Roles = Roles(1 << 6);
    /// A field that names a person (`first_name`, `employee_name`, `姓名`):
    /// company-like values are still names.
    pub(crate) const PERSON_NAME: Roles = Roles(1 << 7);
    /// A field that names a person or an organisation (`name`,
    /// `customer_name`): company-like values are not person names.
    pub(crate) const ANY_NAME: Roles = Roles(1 << 8);
    /// A whole address or address line (`address`, `地址`): the value needs
    /// two words or Chinese or Japanese address characters.
    pub(crate) const ADDRESS: Roles = Roles(1 << 9);
    /// A street (`street`, `StreetName`, `StrtNm`): one word is enough.
    pub(crate) const STREET: Roles = Roles(1 << 10);
    /// Health information as text (`diagnosis`, `诊断`).
    pub(crate) const HEALTH: Roles = Roles(1 << 11);
    /// A field that holds health data only when its value is an ICD-10 code
    /// (`condition`, which names product conditions as often).
    pub(crate) const HEALTH_CODE: Roles = Roles(1 << 12);
    pub(crate) const NHS_NUMBER: Roles = Roles(1 << 13);
    pub(crate) const NPI: Roles = Roles(1 << 14);
    /// Biometric data under an unambiguous name (`faceFeature`, `指纹`).
    pub(crate) const BIOMETRIC: Roles = Roles(1 << 15);
    /// A name that holds biometric data only as a large binary blob
    /// (`fingerprint`, which also names certificate and device hashes).
    pub(crate) const BIOMETRIC_BLOB: Roles = Roles(1 << 16);
    /// A coordinate pair in one value (`gps`, `coordinates`, `location`).
    pub(crate) const COORDINATES: Roles = Roles(1 << 17);
    pub(crate) const LATITUDE: Roles = Roles(1 << 18);
    pub(crate) const LONGITUDE: Roles = Roles(1 << 19);
    /// A version number, which looks like an IPv4 address.
    pub(crate) const VERSION: Roles = Roles(1 << 20);
    /// A product or document reference (`EAN`, `GTIN`, `单据号`), whose
    /// digits are not a card number even when they pass the Luhn check.
    pub(crate) const REFERENCE: Roles = Roles(1 << 21);
    /// Beside [`Roles::ANY_NAME`], a key that may name anything (`name`,
    /// `contact`, `nombre`). Products, teams and places fill it as often as
    /// people, so its names count only with evidence that its column
    /// contains people (see [`super::columns::NameColumns`]).
    pub(crate) const GENERIC_NAME: Roles = Roles(1 << 22);
    /// A recipient (`to`), which SMS and WhatsApp APIs fill with a phone
    /// number and other APIs with an address, a date or an account. Only
    /// an international number without its `+` counts beyond the forms
    /// found anywhere.
    pub(crate) const RECIPIENT: Roles = Roles(1 << 23);
    /// A key that names a place of business (`store_id`, `warehouse_name`,
    /// `plant`): coordinates beside it locate that place, not a person.
    pub(crate) const PLACE: Roles = Roles(1 << 24);
    /// A key that names a machine or a device (`equipment`, `asset_id`,
    /// `serial_number`): a diagnosis beside it is not about a person.
    pub(crate) const EQUIPMENT: Roles = Roles(1 << 25);

    /// Roles whose value is judged as a whole field rather than scanned for
    /// patterns.
    pub(crate) const FIELD_ROLES: Roles = Roles(
        Self::PERSON_NAME.0
            | Self::ANY_NAME.0
            | Self::ADDRESS.0
            | Self::STREET.0
            | Self::HEALTH.0
            | Self::BIOMETRIC.0
            | Self::BIOMETRIC_BLOB.0
            | Self::LATITUDE.0
            | Self::LONGITUDE.0
            | Self::COORDINATES.0
            | Self::PLACE.0
            | Self::EQUIPMENT.0,
    );

    pub(crate) const fn union(self, other: Roles) -> Roles {
        Roles(self.0 | other.0)
    }

    pub(crate) const fn contains(self, other: Roles) -> bool {
        self.0 & other.0 == other.0
    }

    pub(crate) const fn intersects(self, other: Roles) -> bool {
        self.0 & other.0 != 0
    }

    pub(crate) const fn without(self, other: Roles) -> Roles {
        Roles(self.0 & !other.0)
    }
}

impl std::ops::BitOr for Roles {
    type Output = Roles;

    fn bitor(self, other: Roles) -> Roles {
        self.union(other)
    }
}

impl std::ops::BitOrAssign for Roles {
    fn bitor_assign(&mut self, other: Roles) {
        *self = self.union(other);
    }
}

impl fmt::Debug for Roles {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Roles({:#x})", self.0)
    }
}
