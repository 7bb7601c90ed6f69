#!/usr/bin/env python3
"""Generate the labelled corpus that measures the detectors of crates/inspect.

The corpus is a set of request bodies shaped like ERP traffic: JSON customer
and employee exports, CSV and TSV files, IDoc and SEPA XML, form posts,
multipart uploads and compressed bodies. They are filled with fake people from
six Faker locales. Negative-only files of look-alike business data come with
them. Every value is labelled as it is written, so `labels.json` is the ground
truth that `crates/inspect/tests/quality.rs` scores the detectors against.

Output is deterministic: every random choice comes from a generator seeded
with the file's name, and compression uses fixed parameters, so two runs with
the pinned packages of `requirements-corpus.txt` write identical bytes.

Usage: python3 scripts/generate_corpus.py [--output DIR]
"""

from __future__ import annotations

import argparse
import base64
import csv
import datetime
import gzip
import io
import ipaddress
import json
import random
import shutil
import sys
import types
import unicodedata
import urllib.parse
import uuid
import xml.etree.ElementTree as ElementTree
import zlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from xml.sax.saxutils import escape

import brotli
import faker
import faker.providers.ssn.zh_CN as faker_cn_ssn
import zstandard
from faker import Faker

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = ROOT / "crates" / "inspect" / "tests" / "corpus"

SEED = "tollgate-corpus-v1"
# The date the quality test passes as `Request::today`; ages and the minor
# flag are computed against it.
FIXED_TODAY = date(2026, 12, 1)
# A date of birth less than this many years before FIXED_TODAY is a minor.
MINOR_AGE_YEARS = 14
# The corpus is committed, so it must stay small.
MAX_CORPUS_BYTES = 3 * 1024 * 1024
# Minimum labelled positives per category: enough for a rate to move by at
# most about 0.7 points per miss in common categories and 2.5 in rare ones.
MIN_POSITIVES = 150
MIN_POSITIVES_RARE = 40
RARE_CATEGORIES = ("biometric", "health", "passport", "uk_nino")
MIN_MINORS = 20

CATEGORIES = (
    "email", "phone", "person_name", "postal_address", "date_of_birth",
    "ip_address", "cn_resident_id", "us_ssn", "uk_nino", "passport",
    "payment_card", "iban", "bank_account", "health", "biometric",
    "precise_location",
)
LOCALES = ("en_US", "en_GB", "de_DE", "fr_FR", "zh_CN", "ja_JP")

# Faker's zh_CN `ssn()` derives the birth date from the wall clock. Pin that
# clock to FIXED_TODAY so that the identity numbers do not change from day to
# day.
class _FrozenDate(datetime.date):
    @classmethod
    def today(cls) -> "_FrozenDate":
        return cls(FIXED_TODAY.year, FIXED_TODAY.month, FIXED_TODAY.day)


faker_cn_ssn.datetime = types.SimpleNamespace(date=_FrozenDate, timedelta=timedelta)

# ---------------------------------------------------------------------------
# Validity rules, written independently of Faker so that they check it.
# ---------------------------------------------------------------------------

CN_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CN_ID_CHECK = "10X98765432"


def cn_id_check_char(body17: str) -> str:
    """Return the GB 11643-1999 check character of the first 17 digits."""
    total = sum(int(d) * w for d, w in zip(body17, CN_ID_WEIGHTS))
    return CN_ID_CHECK[total % 11]


def is_valid_cn_id(value: str) -> bool:
    value = value.upper()
    if len(value) != 18 or not value[:17].isdigit():
        return False
    try:
        date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return False
    return value[17] == cn_id_check_char(value[:17])


def luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        n = int(char)
        if index % 2 == 1:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0


def luhn_complete(prefix: str, length: int, rng: random.Random) -> str:
    body = prefix + "".join(rng.choice("0123456789") for _ in range(length - len(prefix) - 1))
    for check in "0123456789":
        if luhn_ok(body + check):
            return body + check
    raise AssertionError("unreachable: one Luhn check digit always fits")


# ISO 13616 lengths of the countries whose IBANs the corpus contains.
IBAN_LENGTHS = {"AT": 20, "BE": 16, "DE": 22, "ES": 24, "FR": 27, "GB": 22, "IT": 27, "NL": 18}


def iban_mod97(value: str) -> int:
    rearranged = value[4:] + value[:4]
    return int("".join(str(int(c, 36)) for c in rearranged)) % 97


def is_valid_iban(value: str) -> bool:
    compact = value.replace(" ", "").upper()
    expected = IBAN_LENGTHS.get(compact[:2])
    return expected == len(compact) and compact.isalnum() and iban_mod97(compact) == 1


def is_valid_ssn(value: str) -> bool:
    digits = value.replace("-", "").replace(" ", "")
    if len(digits) != 9 or not digits.isdigit():
        return False
    area, group, serial = int(digits[:3]), int(digits[3:5]), int(digits[5:])
    famous = {"078051120", "219099999", "123456789"}
    return 0 < area < 900 and area != 666 and group != 0 and serial != 0 and digits not in famous


NINO_FIRST = "ABCEGHJKLMNOPRSTWXYZ"  # not D F I Q U V
NINO_SECOND = "ABCEGHJKLMNPRSTWXYZ"  # not D F I O Q U V
NINO_BANNED_PREFIXES = {"BG", "GB", "NK", "KN", "NT", "TN", "ZZ"}


def is_valid_nino(value: str) -> bool:
    compact = value.replace(" ", "").upper()
    return (
        len(compact) == 9
        and compact[0] in NINO_FIRST
        and compact[1] in NINO_SECOND
        and compact[:2] not in NINO_BANNED_PREFIXES
        and compact[2:8].isdigit()
        and compact[8] in "ABCD"
    )


def is_minor(birth: date) -> bool:
    """Return whether `birth` is less than MINOR_AGE_YEARS before FIXED_TODAY."""
    return birth > FIXED_TODAY.replace(year=FIXED_TODAY.year - MINOR_AGE_YEARS)


def ascii_fold(text: str) -> str:
    text = text.replace("ß", "ss").replace("ä", "ae").replace("ö", "oe").replace("ü", "ue")
    text = text.replace("Ä", "Ae").replace("Ö", "Oe").replace("Ü", "Ue").replace("œ", "oe")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if c.isascii())


def stable_int(text: str) -> int:
    return zlib.crc32(f"{SEED}:{text}".encode())


# ---------------------------------------------------------------------------
# Labelled files.
# ---------------------------------------------------------------------------


@dataclass
class CorpusFile:
    """One request body with its headers and ground truth."""

    name: str
    kind: str  # "positive" or "negative"
    shape: str
    locales: list[str]
    content_type: str
    path: str
    content_encoding: str | None = None
    expected: list[dict] = field(default_factory=list)
    decoys: list[dict] = field(default_factory=list)

    def pii(self, category: str, value: str, *, minor: bool | None = None) -> str:
        """Label `value` as a positive of `category` and return it."""
        if category not in CATEGORIES:
            raise ValueError(f"unknown category {category!r}")
        if self.kind != "positive":
            raise ValueError(f"{self.name}: negative-only files take no positives")
        if not value or value != value.strip():
            raise ValueError(f"{self.name}: {category} value {value!r} is empty or padded")
        entry = {"category": category, "value": value}
        if category == "date_of_birth":
            if minor is None:
                raise ValueError("a date of birth needs its minor flag")
            entry["minor"] = minor
        self.expected.append(entry)
        return value

    def dob(self, birth: date, style: str) -> str:
        return self.pii("date_of_birth", format_date(birth, style), minor=is_minor(birth))

    def coordinate(self, value: str) -> float:
        """Label a coordinate written as a JSON number and return the number."""
        number = float(value)
        if json.dumps(number) != value:
            raise ValueError(f"coordinate {value} does not survive JSON as written")
        self.pii("precise_location", value)
        return number

    def decoy(self, kind: str, value):
        """Record a look-alike that must produce no finding and return it."""
        self.decoys.append({"kind": kind, "value": str(value)})
        return value


def format_date(day: date, style: str) -> str:
    formats = {
        "iso": f"{day.year:04d}-{day.month:02d}-{day.day:02d}",
        "dmy_dot": f"{day.day:02d}.{day.month:02d}.{day.year:04d}",
        "mdy_slash": f"{day.month:02d}/{day.day:02d}/{day.year:04d}",
        "dmy_slash": f"{day.day:02d}/{day.month:02d}/{day.year:04d}",
        "ymd_slash": f"{day.year:04d}/{day.month:02d}/{day.day:02d}",
        "cjk": f"{day.year}年{day.month}月{day.day}日",
    }
    return formats[style]


LOCALE_DATE_STYLE = {
    "en_US": "mdy_slash", "en_GB": "dmy_slash", "de_DE": "dmy_dot",
    "fr_FR": "dmy_slash", "zh_CN": "cjk", "ja_JP": "cjk",
}


# ---------------------------------------------------------------------------
# Fake values per locale.
# ---------------------------------------------------------------------------

FREE_MAIL = {
    "en_US": ["gmail.com", "yahoo.com", "outlook.com", "icloud.com", "aol.com"],
    "en_GB": ["gmail.com", "hotmail.co.uk", "btinternet.com", "yahoo.co.uk", "sky.com"],
    "de_DE": ["web.de", "gmx.de", "t-online.de", "gmail.com", "posteo.de"],
    "fr_FR": ["orange.fr", "free.fr", "laposte.net", "gmail.com", "sfr.fr"],
    "zh_CN": ["qq.com", "163.com", "126.com", "sina.com", "foxmail.com"],
    "ja_JP": ["yahoo.co.jp", "gmail.com", "docomo.ne.jp", "ezweb.ne.jp", "outlook.jp"],
}
COMPANY_TLD = {
    "en_US": "com", "en_GB": "co.uk", "de_DE": "de", "fr_FR": "fr", "zh_CN": "com.cn", "ja_JP": "co.jp",
}
US_AREA_CODES = (201, 202, 206, 212, 213, 214, 303, 305, 312, 313, 404, 415, 503, 512, 602,
                 617, 646, 702, 713, 718, 773, 808, 917, 919)
DE_MOBILE = (("151", 8), ("152", 8), ("157", 8), ("160", 7), ("162", 8), ("170", 7), ("171", 7),
             ("172", 8), ("173", 8), ("175", 7), ("176", 8), ("177", 8), ("178", 8), ("179", 8))
DE_LANDLINE = (("30", 8), ("40", 8), ("89", 8), ("221", 7), ("69", 8), ("711", 7))
# ARCEP reserves these prefixes for fiction; real numbers never use them.
FR_FICTION = ("0199", "0261", "0353", "0465", "0536", "0639", "0977")
CN_MOBILE = ("130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151",
             "152", "153", "155", "156", "157", "158", "159", "166", "177", "180", "181",
             "182", "183", "185", "186", "187", "188", "189", "191", "198", "199")
CN_LANDLINE = ("10", "20", "21", "28", "571", "755")
JP_LANDLINE = (("3", 4), ("6", 4), ("45", 3), ("52", 3), ("11", 3), ("92", 3))
IPV6_PREFIXES = ("2001:470", "2003:e2", "2a02:810", "2a01:598", "2400:4050", "240e:388",
                 "2409:8a00", "2001:ee0", "2600:1700", "2a00:23c6")


class Locale:
    """Fake values of one locale, seeded by the file that uses them."""

    def __init__(self, code: str, file_name: str):
        self.code = code
        self.rng = random.Random(f"{SEED}:{file_name}:{code}")
        self.fake = Faker(code)
        self.fake.seed_instance(stable_int(f"{file_name}:{code}"))

    def digits(self, count: int, first: str = "123456789") -> str:
        return self.rng.choice(first) + "".join(self.rng.choice("0123456789") for _ in range(count - 1))

    # -- names ------------------------------------------------------------

    def names(self) -> dict:
        """Return a person's name parts: `name` as written, `kana` for ja_JP, and
        ASCII `roman_given`/`roman_family` for building e-mail addresses."""
        fake = self.fake
        if self.code == "ja_JP":
            family, given = fake.last_name_pair(), fake.first_name_pair()
            space = "\u3000" if self.rng.random() < 0.2 else " "
            return {"given": given[0], "family": family[0], "name": f"{family[0]}{space}{given[0]}",
                    "kana": f"{family[1]} {given[1]}", "roman_given": given[2].lower(),
                    "roman_family": family[2].lower()}
        given, family = fake.first_name(), fake.last_name()
        if self.code == "zh_CN":
            return {"given": given, "family": family, "name": family + given,
                    "roman_given": fake.first_romanized_name().lower(),
                    "roman_family": fake.last_romanized_name().lower()}
        return {"given": given, "family": family, "name": f"{given} {family}",
                "roman_given": ascii_fold(given).lower(), "roman_family": ascii_fold(family).lower()}

    def email(self, names: dict) -> str:
        rng = self.rng
        given = "".join(c for c in names["roman_given"] if c.isalnum()) or "info"
        family = "".join(c for c in names["roman_family"] if c.isalnum()) or "kontakt"
        local = rng.choice([f"{given}.{family}", f"{given[0]}{family}", f"{family}{given}{rng.randint(1, 99)}",
                            f"{given}_{family}", f"{family}.{given}{rng.randint(60, 99)}"])
        roll = rng.random()
        if roll < 0.08 and self.code in ("de_DE", "fr_FR", "zh_CN", "ja_JP"):
            raw = names["name"].replace("\u3000", "").replace(" ", "." if self.code in ("de_DE", "fr_FR") else "")
            if not raw.isascii():
                local = raw.lower()
        elif roll < 0.13:
            local = local.capitalize()
        if rng.random() < 0.6:
            return f"{local}@{rng.choice(FREE_MAIL[self.code])}"
        word = "".join(c for c in ascii_fold(self.fake.domain_word()).lower() if c.isalnum())
        if len(word) < 3 or word.isdigit():
            word = family + self.rng.choice(["tech", "trade", "group"])
        subdomain = rng.choice(["", "", "mail.", "corp.", "eu.", "sales."])
        return f"{local}@{subdomain}{word[:20]}.{COMPANY_TLD[self.code]}"

    # -- phones -----------------------------------------------------------

    def phone(self, mobile: bool = True) -> str:
        """Return a valid number of the locale's plan, national or international."""
        international = self.rng.random() < 0.4
        return getattr(self, f"_phone_{self.code}")(mobile, international)

    def _phone_en_US(self, mobile: bool, international: bool) -> str:
        npa = self.rng.choice(US_AREA_CODES)
        nxx = self.digits(3, "23456789")
        while nxx[1:] == "11" or nxx == "555":
            nxx = self.digits(3, "23456789")
        line = self.digits(4, "0123456789")
        if international:
            return self.rng.choice([f"+1 {npa} {nxx} {line}", f"+1-{npa}-{nxx}-{line}", f"+1 ({npa}) {nxx}-{line}"])
        return self.rng.choice([f"({npa}) {nxx}-{line}", f"{npa}-{nxx}-{line}", f"{npa}.{nxx}.{line}"])

    def _phone_en_GB(self, mobile: bool, international: bool) -> str:
        if mobile:
            number = "7" + self.rng.choice("45789") + self.digits(8, "0123456789")
            while number.startswith("7700900"):
                number = "7" + self.rng.choice("45789") + self.digits(8, "0123456789")
            head, tail = number[:4], number[4:]
        else:
            area = self.rng.choice(["20", "161", "121"])
            rest = (self.rng.choice("78") + self.digits(7, "0123456789")) if area == "20" else self.digits(7, "2345789")
            head, tail = area, (f"{rest[:4]} {rest[4:]}" if area == "20" else f"{rest[:3]} {rest[3:]}")
        if international:
            return f"+44 {head} {tail}"
        return f"0{head} {tail}"

    def _phone_de_DE(self, mobile: bool, international: bool) -> str:
        prefix, length = self.rng.choice(DE_MOBILE if mobile else DE_LANDLINE)
        subscriber = self.digits(length)
        if international:
            return self.rng.choice([f"+49 {prefix} {subscriber}", f"+49 {prefix} {subscriber}",
                                    f"+49 (0){prefix} {subscriber}"])
        return self.rng.choice([f"0{prefix} {subscriber}", f"0{prefix}/{subscriber}", f"(0{prefix}) {subscriber}"])

    def _phone_fr_FR(self, mobile: bool, international: bool) -> str:
        while True:
            first = self.rng.choice("67") if mobile else self.rng.choice("123459")
            rest = self.digits(8, "0123456789")
            if not f"0{first}{rest[:2]}".startswith(FR_FICTION):
                break
        pairs = " ".join(rest[i:i + 2] for i in range(0, 8, 2))
        if international:
            return self.rng.choice([f"+33 {first} {pairs}", f"+33{first}{rest}"])
        return self.rng.choice([f"0{first} {pairs}", f"0{first}.{pairs.replace(' ', '.')}", f"0{first}{rest}"])

    def _phone_zh_CN(self, mobile: bool, international: bool) -> str:
        if mobile:
            number = self.rng.choice(CN_MOBILE) + self.digits(8, "0123456789")
            spaced = f"{number[:3]} {number[3:7]} {number[7:]}"
            if international:
                return self.rng.choice([f"+86 {spaced}", f"+86 {number}", f"+86-{number}"])
            return self.rng.choice([number, number, spaced, f"{number[:3]}-{number[3:7]}-{number[7:]}"])
        area = self.rng.choice(CN_LANDLINE)
        subscriber = self.digits(8, "2345678")
        if international:
            return f"+86 {area} {subscriber[:4]} {subscriber[4:]}"
        return f"0{area}-{subscriber}"

    def _phone_ja_JP(self, mobile: bool, international: bool) -> str:
        if mobile:
            area, middle = self.rng.choice("987") + "0", self.digits(4)
        else:
            area, width = self.rng.choice(JP_LANDLINE)
            middle = self.digits(width, "2345678")
        line = self.digits(4, "0123456789")
        if international:
            return self.rng.choice([f"+81 {area}-{middle}-{line}", f"+81 {area} {middle} {line}"])
        return self.rng.choice([f"0{area}-{middle}-{line}", f"0{area}-{middle}-{line}", f"0{area}{middle}{line}"])

    # -- dates, places, companies ----------------------------------------

    def birth_date(self, minor: bool = False) -> date:
        if minor:
            return self.random_date(date(2012, 12, 2), date(2025, 6, 30))
        return self.random_date(date(1941, 1, 1), date(2006, 12, 31))

    def random_date(self, first: date, last: date) -> date:
        return date.fromordinal(self.rng.randint(first.toordinal(), last.toordinal()))

    def business_date(self) -> date:
        return self.random_date(date(2023, 1, 1), date(2026, 11, 30))

    def street(self) -> str:
        if self.code == "zh_CN":
            return self.fake.district() + self.fake.street_address()
        if self.code == "ja_JP":
            return self.fake.town() + self.fake.chome() + self.fake.ban() + self.fake.gou()
        return self.fake.street_address().replace("\n", ", ")

    def city(self) -> str:
        """Return a real city, for city fields on their own. Faker's French and
        English city names are often built from surnames."""
        return self.rng.choice(CITIES[self.code])

    def postcode(self) -> str:
        return self.fake.postcode()

    def full_address(self) -> str:
        """Return a whole postal address on one line, in the locale's order."""
        fake = self.fake
        if self.code == "en_US":
            return f"{self.street()}, {fake.city()}, {fake.state_abbr(include_territories=False)} {fake.zipcode()}"
        if self.code == "en_GB":
            return f"{self.street()}, {fake.city()}, {fake.postcode()}"
        if self.code in ("de_DE", "fr_FR"):
            return f"{self.street()}, {fake.postcode()} {fake.city()}"
        if self.code == "zh_CN":
            return fake.province() + fake.city() + self.street()
        return fake.address().replace("\n", " ")

    def company(self) -> str:
        """Return a company name with a legal form, because a bare surname (which
        Faker sometimes returns) would be a person's name."""
        name = self.fake.company()
        if " " not in name and self.code in LEGAL_FORM:
            name = f"{name} {self.rng.choice(LEGAL_FORM[self.code])}"
        return name

    def amount(self) -> str:
        value = self.rng.randint(500, 2_500_000)
        whole, cents = divmod(value, 100)
        if self.code in ("de_DE", "fr_FR"):
            grouped = f"{whole:,}".replace(",", "." if self.code == "de_DE" else "\u202f")
            return f"{grouped},{cents:02d}"
        return f"{whole}.{cents:02d}"

    # -- identifiers ------------------------------------------------------

    def cn_resident_id(self, minor: bool = False) -> str:
        for _ in range(100):
            value = self.fake.ssn(min_age=1, max_age=13) if minor else self.fake.ssn(min_age=19, max_age=80)
            # Area codes 81, 82 and 83 belong to residence permits of Hong
            # Kong, Macao and Taiwan residents, not to mainland resident IDs.
            if not value.startswith(("81", "82", "83")):
                break
        if not is_valid_cn_id(value):
            raise AssertionError(f"Faker made an invalid resident ID {value}")
        return value

    def us_ssn(self) -> str:
        value = self.fake.ssn()
        while not is_valid_ssn(value):
            value = self.fake.ssn()
        style = self.rng.random()
        if style < 0.1:
            return value.replace("-", "")
        if style < 0.2:
            return value.replace("-", " ")
        return value

    def nino(self) -> str:
        while True:
            prefix = self.rng.choice(NINO_FIRST) + self.rng.choice(NINO_SECOND)
            if prefix not in NINO_BANNED_PREFIXES:
                break
        digits = self.digits(6, "0123456789")
        suffix = self.rng.choice("ABCD")
        if self.rng.random() < 0.3:
            value = f"{prefix} {digits[:2]} {digits[2:4]} {digits[4:]} {suffix}"
        else:
            value = f"{prefix}{digits}{suffix}"
        assert is_valid_nino(value)
        return value

    def passport(self) -> str:
        rng = self.rng
        if self.code == "en_US":
            return rng.choice([self.digits(9), rng.choice("AB") + self.digits(8, "0123456789")])
        if self.code == "en_GB":
            return self.digits(9, "12345")
        if self.code == "de_DE":
            alphabet = "CFGHJKLMNPRTVWXYZ0123456789"
            return rng.choice("CFGHJK") + "".join(rng.choice(alphabet) for _ in range(8))
        if self.code == "fr_FR":
            return self.digits(2) + "".join(rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(2)) + self.digits(5)
        if self.code == "zh_CN":
            return rng.choice(["E" + self.digits(8), "E" + rng.choice("ABCDEFGH") + self.digits(7)])
        return rng.choice(["TK", "TR", "TS", "MU", "MZ", "TZ", "RE"]) + self.digits(7)

    def iban(self, printed: bool | None = None) -> str:
        value = self.fake.iban()
        if not is_valid_iban(value):
            raise AssertionError(f"Faker made an invalid IBAN {value}")
        if printed is None:
            printed = self.rng.random() < 0.3
        return " ".join(value[i:i + 4] for i in range(0, len(value), 4)) if printed else value

    def ipv4(self) -> str:
        while True:
            value = self.fake.ipv4_public()
            if ipaddress.ip_address(value).is_global:
                return value

    def ipv6(self) -> str:
        groups = IPV6_PREFIXES[self.rng.randrange(len(IPV6_PREFIXES))].split(":")
        groups += [f"{self.rng.randrange(0x10000):x}" for _ in range(8 - len(groups))]
        if self.rng.random() < 0.4:
            start = self.rng.randint(2, 5)
            for index in range(start, start + self.rng.randint(2, 3)):
                groups[index] = "0"
        address = ipaddress.IPv6Address(":".join(groups))
        assert address.is_global
        return address.compressed

    def ip(self) -> str:
        return self.ipv6() if self.rng.random() < 0.3 else self.ipv4()

    def biometric_blob(self, fingerprint: bool) -> str:
        # ISO/IEC 19794-2 fingerprint records start with "FMR\0"; face
        # feature vectors have no header.
        header = b"FMR\x00 20\x00" if fingerprint else b""
        body = self.rng.randbytes(self.rng.randint(240, 420))
        return base64.b64encode(header + body).decode()

    def coordinate_pair(self, country: str, decimals: int = 6) -> tuple[str, str]:
        south, north, west, east = COUNTRY_BOXES[country]
        return (self._coordinate(south, north, decimals), self._coordinate(west, east, decimals))

    def _coordinate(self, low: float, high: float, decimals: int) -> str:
        while True:
            text = f"{self.rng.uniform(low, high):.{decimals}f}"
            if not text.endswith("0"):
                return text


CITIES = {
    "en_US": ("Chicago", "Houston", "Phoenix", "San Antonio", "Columbus", "Denver", "Seattle", "Boston", "Atlanta"),
    "en_GB": ("London", "Manchester", "Birmingham", "Leeds", "Glasgow", "Bristol", "Cardiff", "Edinburgh", "York"),
    "de_DE": ("Berlin", "Hamburg", "München", "Köln", "Frankfurt am Main", "Stuttgart", "Leipzig", "Dresden", "Bremen"),
    "fr_FR": ("Paris", "Lyon", "Marseille", "Toulouse", "Nantes", "Lille", "Bordeaux", "Rennes", "Strasbourg"),
    "zh_CN": ("北京", "上海", "广州", "深圳", "杭州", "成都", "武汉", "南京", "苏州"),
    "ja_JP": ("横浜市", "大阪市", "名古屋市", "札幌市", "福岡市", "神戸市", "京都市", "川崎市", "仙台市"),
}
LEGAL_FORM = {
    "en_US": ("Inc.", "LLC"), "en_GB": ("Ltd", "PLC"), "de_DE": ("GmbH", "AG", "KG"), "fr_FR": ("SARL", "SAS", "SA"),
}
COUNTRY_BOXES = {
    "US": (30.0, 47.0, -122.0, -75.0), "GB": (50.5, 57.5, -4.5, 1.5), "DE": (47.5, 54.8, 6.0, 14.8),
    "FR": (43.2, 50.5, -1.2, 7.5), "CN": (22.6, 40.5, 104.0, 121.5), "JP": (33.0, 43.0, 130.5, 141.8),
}
LOCALE_COUNTRY = {"en_US": "US", "en_GB": "GB", "de_DE": "DE", "fr_FR": "FR", "zh_CN": "CN", "ja_JP": "JP"}

# ICD-10 codes with their descriptions in the corpus languages.
DIAGNOSES = (
    ("E11.9", "Type 2 diabetes mellitus without complications", "Diabetes mellitus Typ 2 ohne Komplikationen",
     "Diabète de type 2 sans complication", "2型糖尿病，无并发症", "2型糖尿病（合併症なし）"),
    ("I10", "Essential (primary) hypertension", "Essentielle (primäre) Hypertonie",
     "Hypertension essentielle (primitive)", "原发性高血压", "本態性高血圧症"),
    ("J45.9", "Asthma, unspecified", "Asthma bronchiale, nicht näher bezeichnet", "Asthme, sans précision",
     "哮喘", "気管支喘息"),
    ("F32.1", "Moderate depressive episode", "Mittelgradige depressive Episode", "Épisode dépressif moyen",
     "中度抑郁发作", "中等症うつ病エピソード"),
    ("M54.5", "Low back pain", "Kreuzschmerz", "Lombalgie basse", "下背痛", "腰痛症"),
    ("C50.9", "Malignant neoplasm of breast, unspecified", "Bösartige Neubildung der Brustdrüse",
     "Tumeur maligne du sein", "乳腺恶性肿瘤", "乳癌"),
    ("K21.9", "Gastro-oesophageal reflux disease without oesophagitis",
     "Gastroösophageale Refluxkrankheit ohne Ösophagitis", "Reflux gastro-œsophagien sans œsophagite",
     "胃食管反流病", "胃食道逆流症"),
    ("N18.3", "Chronic kidney disease, stage 3", "Chronische Nierenkrankheit, Stadium 3",
     "Maladie rénale chronique, stade 3", "慢性肾脏病3期", "慢性腎臓病ステージ3"),
    ("G40.9", "Epilepsy, unspecified", "Epilepsie, nicht näher bezeichnet", "Épilepsie, sans précision",
     "癫痫", "てんかん"),
    ("B20", "HIV disease", "HIV-Krankheit", "Maladie due au VIH", "人类免疫缺陷病毒病", "HIV感染症"),
    ("F41.1", "Generalized anxiety disorder", "Generalisierte Angststörung", "Anxiété généralisée",
     "广泛性焦虑障碍", "全般性不安障害"),
    ("J44.9", "Chronic obstructive pulmonary disease, unspecified", "Chronische obstruktive Lungenkrankheit",
     "Bronchopneumopathie chronique obstructive", "慢性阻塞性肺病", "慢性閉塞性肺疾患"),
    ("O24.4", "Gestational diabetes mellitus", "Gestationsdiabetes", "Diabète sucré gestationnel",
     "妊娠期糖尿病", "妊娠糖尿病"),
    ("S52.5", "Fracture of lower end of radius", "Distale Radiusfraktur",
     "Fracture de l'extrémité inférieure du radius", "桡骨下端骨折", "橈骨遠位端骨折"),
    ("F10.2", "Alcohol dependence syndrome", "Alkoholabhängigkeitssyndrom", "Syndrome de dépendance à l'alcool",
     "酒精依赖综合征", "アルコール依存症候群"),
)
DIAGNOSIS_LANGUAGE = {"en_US": 1, "en_GB": 1, "de_DE": 2, "fr_FR": 3, "zh_CN": 4, "ja_JP": 5}

# Card schemes by IIN prefix and length (ISO/IEC 7812 registrations as the
# schemes publish them).
CARD_SCHEMES = {
    "visa": (("4",), (16,)),
    "mastercard": (("51", "52", "53", "54", "55"), (16,)),
    "mastercard_2": (tuple(str(n) for n in range(2221, 2721)), (16,)),
    "amex": (("34", "37"), (15,)),
    "unionpay": (("62",), (16, 17, 18, 19)),
    "jcb": (tuple(str(n) for n in range(3528, 3590)), (16,)),
    "discover": (("6011", "644", "645", "646", "647", "648", "649", "65"), (16,)),
    "diners": (("36",), (14,)),
}
CARD_MIX = {
    "en_US": ("visa", "visa", "mastercard", "mastercard_2", "amex", "discover", "diners"),
    "de_DE": ("visa", "mastercard", "mastercard_2", "amex", "visa"),
    "zh_CN": ("unionpay", "unionpay", "unionpay", "visa", "mastercard"),
    "ja_JP": ("jcb", "jcb", "visa", "mastercard", "amex"),
    "fr_FR": ("visa", "mastercard", "mastercard_2", "amex"),
}


def payment_card(loc: Locale) -> str:
    scheme = loc.rng.choice(CARD_MIX[loc.code])
    prefixes, lengths = CARD_SCHEMES[scheme]
    number = luhn_complete(loc.rng.choice(prefixes), loc.rng.choice(lengths), loc.rng)
    style = loc.rng.random()
    if style < 0.5:
        return number
    separator = " " if style < 0.85 else "-"
    if len(number) == 15:
        return separator.join((number[:4], number[4:10], number[10:]))
    return separator.join(number[i:i + 4] for i in range(0, len(number), 4))


def bank_account(loc: Locale) -> str:
    """Return an account number as the locale's banks print it."""
    if loc.code == "zh_CN":
        # Debit cards of Chinese banks: UnionPay BINs, Luhn check digit.
        return luhn_complete(loc.rng.choice(["621700", "622202", "622848", "623668", "621483"]),
                             loc.rng.choice((16, 19)), loc.rng)
    widths = {"de_DE": (7, 10), "en_GB": (8, 8), "en_US": (9, 12), "ja_JP": (7, 7)}
    low, high = widths[loc.code]
    return loc.digits(loc.rng.randint(low, high), "123456789" if loc.code != "ja_JP" else "0123456789")


# ---------------------------------------------------------------------------
# Decoys: business values that look like personal data but are not.
# ---------------------------------------------------------------------------


class Decoys:
    """Look-alike values, each checked not to pass the rule it imitates."""

    def __init__(self, loc: Locale):
        self.loc = loc
        self.rng = loc.rng

    def order_number(self) -> str:
        rng = self.rng
        return rng.choice([f"SO-{rng.randint(2023, 2026)}-{rng.randint(1, 99999):05d}",
                           f"45{self.loc.digits(8, '0123456789')}", f"PO{rng.randint(100000, 999999)}"])

    def sku(self) -> str:
        letters = "".join(self.rng.choice("ABCDEFGHKLMNPRSTUVWXZ") for _ in range(3))
        return f"{letters}-{self.rng.randint(10000, 99999)}-{self.rng.choice(['BL', 'RD', 'XL', 'S', 'M'])}"

    def uuid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def iso_timestamp(self) -> str:
        day = self.loc.business_date()
        clock = f"{self.rng.randint(0, 23):02d}:{self.rng.randint(0, 59):02d}:{self.rng.randint(0, 59):02d}"
        zone = self.rng.choice(["Z", "+01:00", "+08:00", "+09:00", ".123Z", "-05:00"])
        return f"{day.isoformat()}T{clock}{zone}"

    def unix_millis(self) -> str:
        return str(self.rng.randint(1_672_531_200_000, 1_796_000_000_000))

    def phone_shaped_invoice(self) -> str:
        return f"INV-{self.rng.randint(2023, 2026)}-{self.rng.randint(200, 999)}-{self.rng.randint(0, 9999):04d}"

    def bad_cn_id(self) -> str:
        valid = self.loc.cn_resident_id()
        wrong = self.rng.choice([c for c in CN_ID_CHECK if c != valid[17]])
        value = valid[:17] + wrong
        assert not is_valid_cn_id(value)
        return value

    def bad_luhn(self) -> str:
        number = luhn_complete(self.rng.choice(["4", "5", "62"]), 16, self.rng)
        value = number[:15] + str((int(number[15]) + self.rng.randint(1, 9)) % 10)
        assert not luhn_ok(value)
        return value

    def bad_iban(self) -> str:
        valid = self.loc.iban(printed=False)
        value = valid
        while is_valid_iban(value):
            value = f"{valid[:2]}{self.rng.randint(2, 98):02d}{valid[4:]}"
        return value

    def version(self) -> str:
        rng = self.rng
        return rng.choice([f"{rng.randint(1, 9)}.{rng.randint(0, 20)}.{rng.randint(0, 30)}.{rng.randint(0, 200)}",
                           f"{rng.choice(['pkg', 'erp-connector', 'sap-rfc', 'odoo-sync'])}@{rng.randint(0, 4)}."
                           f"{rng.randint(0, 12)}.{rng.randint(0, 40)}",
                           f"v{rng.randint(1, 5)}.{rng.randint(0, 30)}.{rng.randint(0, 9)}"])

    def business_date(self) -> str:
        return format_date(self.loc.business_date(), self.rng.choice([LOCALE_DATE_STYLE[self.loc.code], "iso"]))

    def icd_like_sku(self) -> str:
        return f"{self.rng.choice('CEFGIJKM')}{self.rng.randint(10, 99)}-{self.rng.randint(100, 999)}"

    def warehouse_coordinate(self, country: str) -> tuple[float, float]:
        lat, lng = self.loc.coordinate_pair(country, decimals=self.rng.choice((1, 2)))
        return float(lat), float(lng)

    def ean13(self) -> str:
        body = self.rng.choice(["400", "401", "690", "693", "450", "490", "300", "001"]) + self.loc.digits(9, "0123456789")
        total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body))
        return body + str((10 - total % 10) % 10)

    def document_id(self, prefix: str) -> str:
        return f"{prefix}-{self.rng.randint(1, 99999):05d}"

    def aba_routing(self) -> str:
        while True:
            body = self.loc.digits(8, "0123")
            for check in range(10):
                digits = [int(d) for d in body + str(check)]
                if sum(w * d for w, d in zip((3, 7, 1) * 3, digits)) % 10 == 0:
                    return body + str(check)

    def sort_code(self) -> str:
        return f"{self.rng.randint(10, 99)}-{self.rng.randint(10, 99)}-{self.rng.randint(10, 99)}"

    def blz(self) -> str:
        return self.loc.digits(8, "1234567")


# ---------------------------------------------------------------------------
# Serialisers.
# ---------------------------------------------------------------------------


def json_bytes(document, *, ascii_only: bool = False, indent: int | None = 2) -> bytes:
    return (json.dumps(document, ensure_ascii=ascii_only, indent=indent) + "\n").encode()


def csv_bytes(header: list[str], rows: list[dict], delimiter: str, line_end: str = "\r\n") -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, delimiter=delimiter, lineterminator=line_end)
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode()


def xml_element(tag: str, value) -> str:
    return f"<{tag}>{escape(str(value))}</{tag}>"


def form_bytes(pairs: list[tuple[str, str]]) -> bytes:
    return urllib.parse.urlencode(pairs, encoding="utf-8").encode()


MULTIPART_BOUNDARY = "----TollgateCorpusBoundary7MA4YWxkTrZu0gW"


def multipart_bytes(fields: list[tuple[str, str]], file_field: str, file_name: str, file_body: bytes) -> bytes:
    out = io.BytesIO()
    for name, value in fields:
        out.write(f"--{MULTIPART_BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n".encode())
        out.write(value.encode() + b"\r\n")
    out.write(f"--{MULTIPART_BOUNDARY}\r\nContent-Disposition: form-data; name=\"{file_field}\"; "
              f"filename=\"{file_name}\"\r\nContent-Type: text/csv; charset=utf-8\r\n\r\n".encode())
    out.write(file_body + b"\r\n")
    out.write(f"--{MULTIPART_BOUNDARY}--\r\n".encode())
    return out.getvalue()


def compress(body: bytes, coding: str) -> bytes:
    """Compress with fixed parameters; gzip's timestamp is zero and it names
    no file, so the output depends on the input alone."""
    if coding == "gzip":
        return gzip.compress(body, compresslevel=9, mtime=0)
    if coding == "br":
        return brotli.compress(body, quality=9)
    if coding == "zstd":
        return zstandard.ZstdCompressor(level=10, write_checksum=True).compress(body)
    raise ValueError(f"unsupported content coding {coding!r}")


# ---------------------------------------------------------------------------
# Positive files: ERP shapes filled with fake people.
# ---------------------------------------------------------------------------


def build_odoo_partners(f: CorpusFile) -> bytes:
    """Build a flat JSON array shaped like Odoo `res.partner` records."""
    us = Locale("en_US", f.name)
    d = Decoys(us)
    records = []
    for index in range(40):
        names = us.names()
        records.append({
            "id": f.decoy("record_id", 3000 + 7 * index),
            "name": f.pii("person_name", names["name"]),
            "is_company": False,
            "commercial_company_name": f.decoy("company_name", us.company()),
            "email": f.pii("email", us.email(names)),
            "phone": f.pii("phone", us.phone(mobile=False)),
            "mobile": f.pii("phone", us.phone()),
            "street": f.pii("postal_address", us.street()),
            "city": f.decoy("city", us.city()),
            "zip": f.decoy("postal_code", us.fake.zipcode()),
            "country_code": "US",
            "ref": f.decoy("customer_number", d.document_id("CUST")),
            "x_last_login_ip": f.pii("ip_address", us.ip()),
            "create_date": f.decoy("timestamp", f"{us.business_date()} 09:{index:02d}:17"),
            "credit_limit": f.decoy("amount", float(us.amount())),
        })
    return json_bytes(records)


def build_odoo_employees(f: CorpusFile) -> bytes:
    """Build Odoo `hr.employee` records with a bank account and dependants; the
    first dependants sit on either side of the minor boundary."""
    us = Locale("en_US", f.name)
    d = Decoys(us)
    boundary = [date(2012, 12, 1), date(2012, 12, 2)]
    records = []
    for index in range(40):
        names = us.names()
        dependants = []
        for _ in range(us.rng.choice((0, 1, 1, 2))):
            child = us.names()
            born = boundary.pop(0) if boundary else (
                us.birth_date(minor=True) if us.rng.random() < 0.7 else us.random_date(date(1992, 1, 1), date(2012, 11, 30)))
            dependants.append({"name": f.pii("person_name", f"{child['given']} {names['family']}"),
                               "relationship": "child", "birthday": f.dob(born, "iso")})
        records.append({
            "id": f.decoy("record_id", 512 + index),
            "name": f.pii("person_name", names["name"]),
            "work_email": f.pii("email", us.email(names)),
            "private_email": f.pii("email", us.email(names)),
            "mobile_phone": f.pii("phone", us.phone()),
            "work_phone": f.pii("phone", us.phone(mobile=False)),
            "birthday": f.dob(us.birth_date(), "iso"),
            "ssnid": f.pii("us_ssn", us.us_ssn()),
            "passport_id": f.pii("passport", us.passport()) if index % 2 == 0 else False,
            "private_street": f.pii("postal_address", us.full_address()),
            "identification_id": f.decoy("badge_number", f"B{us.digits(6)}"),
            "first_contract_date": f.decoy("business_date", us.business_date().isoformat()),
            "bank_account_id": {
                "acc_number": f.pii("bank_account", bank_account(us)),
                "aba_routing": f.decoy("routing_number", d.aba_routing()),
                "bank_name": "First Republic Trust",
            },
            "children": len(dependants),
            "x_dependants": dependants,
        })
    return json_bytes(records)


def build_us_customer_csv(f: CorpusFile) -> bytes:
    us = Locale("en_US", f.name)
    header = ["customer_id", "first_name", "last_name", "dob", "ssn", "phone", "email", "street_address", "city",
              "state", "zip", "card_number", "card_expiry", "last_login_ip", "order_date", "total"]
    rows = []
    for index in range(60):
        names = us.names()
        rows.append({
            "customer_id": f.decoy("customer_number", 100200 + 13 * index),
            "first_name": f.pii("person_name", names["given"]),
            "last_name": f.pii("person_name", names["family"]),
            "dob": f.dob(us.birth_date(), "mdy_slash"),
            "ssn": f.pii("us_ssn", us.us_ssn()),
            "phone": f.pii("phone", us.phone()),
            "email": f.pii("email", us.email(names)),
            "street_address": f.pii("postal_address", us.street()),
            "city": f.decoy("city", us.city()),
            "state": us.fake.state_abbr(include_territories=False),
            "zip": f.decoy("postal_code", us.fake.zipcode()),
            "card_number": f.pii("payment_card", payment_card(us)),
            "card_expiry": f.decoy("card_expiry", f"{us.rng.randint(1, 12):02d}/{us.rng.randint(27, 31)}"),
            "last_login_ip": f.pii("ip_address", us.ip()),
            "order_date": f.decoy("business_date", format_date(us.business_date(), "mdy_slash")),
            "total": f.decoy("amount", us.amount()),
        })
    return csv_bytes(header, rows, ",")


def build_w2_payroll(f: CorpusFile) -> bytes:
    """Build a year-end wage export shaped like W-2 data."""
    us = Locale("en_US", f.name)
    employees = []
    for index in range(60):
        names = us.names()
        employees.append({
            "employeeId": f.decoy("employee_number", f"E{4000 + index}"),
            "fullName": f.pii("person_name", names["name"]),
            "ssn": f.pii("us_ssn", us.us_ssn()),
            "homeAddress": {
                "line1": f.pii("postal_address", us.street()),
                "city": f.decoy("city", us.city()),
                "state": us.fake.state_abbr(include_territories=False),
                "zip": f.decoy("postal_code", us.fake.zipcode()),
            },
            "wagesTipsOther": f.decoy("amount", us.amount()),
            "federalIncomeTaxWithheld": f.decoy("amount", us.amount()),
        })
    ein = f"{us.rng.randint(10, 98)}-{us.digits(7, '0123456789')}"
    document = {"taxYear": 2025, "employer": {"ein": f.decoy("employer_ein", ein),
                                               "name": f.decoy("company_name", us.company())},
                "employees": employees}
    return json_bytes(document, indent=None)


def build_erpnext_customers(f: CorpusFile) -> bytes:
    """Build nested JSON shaped like ERPNext `Customer` documents with their
    contacts and addresses. ERPNext's own `name` key contains a document ID."""
    gb = Locale("en_GB", f.name)
    d = Decoys(gb)
    data = []
    for _ in range(40):
        names = gb.names()
        email = gb.email(names)
        data.append({
            "name": f.decoy("document_id", d.document_id("CUST")),
            "customer_name": f.pii("person_name", names["name"]),
            "customer_type": "Individual",
            "customer_group": "Individual",
            "territory": "United Kingdom",
            "email_id": f.pii("email", email),
            "mobile_no": f.pii("phone", gb.phone()),
            "creation": f.decoy("timestamp", f"{gb.business_date()} 10:22:31.{gb.digits(6)}"),
            "contacts": [{
                "name": f.decoy("document_id", d.document_id("CONT")),
                "first_name": f.pii("person_name", names["given"]),
                "last_name": f.pii("person_name", names["family"]),
                "email_ids": [{"email_id": f.pii("email", email), "is_primary": 1}],
                "phone_nos": [{"phone": f.pii("phone", gb.phone(mobile=False)), "is_primary_phone": 1}],
            }],
            "addresses": [{
                "name": f.decoy("document_id", d.document_id("ADDR")),
                "address_type": "Billing",
                "address_line1": f.pii("postal_address", gb.street()),
                "city": f.decoy("city", gb.city()),
                "pincode": f.decoy("postal_code", gb.postcode()),
                "country": "United Kingdom",
            }],
        })
    return json_bytes({"data": data})


def build_erpnext_employees(f: CorpusFile) -> bytes:
    gb = Locale("en_GB", f.name)
    d = Decoys(gb)
    data = []
    for index in range(40):
        names = gb.names()
        data.append({
            "name": f.decoy("document_id", f"HR-EMP-{index + 12:05d}"),
            "employee_name": f.pii("person_name", names["name"]),
            "first_name": f.pii("person_name", names["given"]),
            "last_name": f.pii("person_name", names["family"]),
            "date_of_birth": f.dob(gb.birth_date(), "iso"),
            "date_of_joining": f.decoy("business_date", gb.business_date().isoformat()),
            "cell_number": f.pii("phone", gb.phone()),
            "personal_email": f.pii("email", gb.email(names)),
            "company_email": f.pii("email", gb.email(names)),
            "current_address": f.pii("postal_address", gb.full_address()),
            "ni_number": f.pii("uk_nino", gb.nino()),
            "passport_number": f.pii("passport", gb.passport()) if index % 2 else None,
            "bank_name": "Barclays",
            "bank_ac_no": f.pii("bank_account", bank_account(gb)),
            "iban": f.pii("iban", gb.iban()),
            "ctc": f.decoy("amount", float(gb.amount())),
            "modified": f.decoy("timestamp", d.iso_timestamp()),
        })
    return json_bytes({"data": data}, indent=1)


def build_hmrc_upload(f: CorpusFile) -> bytes:
    """Build a payroll CSV uploaded as multipart/form-data with text fields."""
    gb = Locale("en_GB", f.name)
    d = Decoys(gb)
    header = ["Employee ID", "Forename", "Surname", "NI Number", "Date of Birth", "Address", "Postcode",
              "Sort Code", "Account Number", "Gross Pay", "Tax Code"]
    rows = []
    for index in range(45):
        names = gb.names()
        rows.append({
            "Employee ID": f.decoy("employee_number", f"P{7100 + index}"),
            "Forename": f.pii("person_name", names["given"]),
            "Surname": f.pii("person_name", names["family"]),
            "NI Number": f.pii("uk_nino", gb.nino()),
            "Date of Birth": f.dob(gb.birth_date(), "dmy_slash"),
            "Address": f.pii("postal_address", f"{gb.street()}, {gb.fake.city()}"),
            "Postcode": f.decoy("postal_code", gb.postcode()),
            "Sort Code": f.decoy("sort_code", d.sort_code()),
            "Account Number": f.pii("bank_account", bank_account(gb)),
            "Gross Pay": f.decoy("amount", gb.amount()),
            "Tax Code": f.decoy("tax_code", gb.rng.choice(["1257L", "BR", "D0", "K475", "1257L M1"])),
        })
    uploader = gb.names()
    fields = [
        ("uploaded_by", f.pii("person_name", uploader["name"])),
        ("contact_email", f.pii("email", gb.email(uploader))),
        ("pay_period", f.decoy("business_date", "2026-11")),
        ("employer_paye_ref", f.decoy("paye_reference", f"{gb.digits(3)}/AB{gb.digits(5)}")),
    ]
    return multipart_bytes(fields, "payroll", "payroll-2026-11.csv", csv_bytes(header, rows, ","))


def build_sap_partners(f: CorpusFile) -> bytes:
    """Build nested JSON shaped like the OData V4 business partner API of SAP."""
    de = Locale("de_DE", f.name)
    d = Decoys(de)
    value = []
    for index in range(40):
        names = de.names()
        value.append({
            "BusinessPartner": f.decoy("customer_number", str(10001000 + 37 * index)),
            "BusinessPartnerCategory": "1",
            "FirstName": f.pii("person_name", names["given"]),
            "LastName": f.pii("person_name", names["family"]),
            "BirthDate": f.dob(de.birth_date(), "iso"),
            "CreationDate": f.decoy("business_date", de.business_date().isoformat()),
            "to_BusinessPartnerAddress": [{
                "AddressID": f.decoy("record_id", str(52000 + index)),
                "StreetName": f.pii("postal_address", de.street()),
                "PostalCode": f.decoy("postal_code", de.postcode()),
                "CityName": f.decoy("city", de.city()),
                "Country": "DE",
                "to_EmailAddress": [{"EmailAddress": f.pii("email", de.email(names))}],
                "to_PhoneNumber": [{"PhoneNumber": f.pii("phone", de.phone(mobile=False))}],
                "to_MobilePhoneNumber": [{"PhoneNumber": f.pii("phone", de.phone())}],
            }],
            "to_BusinessPartnerBank": [{
                "BankIdentification": "0001",
                "BankCountryKey": "DE",
                "BankNumber": f.decoy("bank_code", d.blz()),
                "BankAccount": f.pii("bank_account", bank_account(de)),
                "IBAN": f.pii("iban", de.iban()),
                "SWIFTCode": f.decoy("bic", de.fake.swift(length=11)),
            }],
        })
    return json_bytes({"@odata.context": "$metadata#A_BusinessPartner", "value": value})


def build_de_customer_csv(f: CorpusFile) -> bytes:
    de = Locale("de_DE", f.name)
    d = Decoys(de)
    header = ["Kundennummer", "Anrede", "Vorname", "Nachname", "Geburtsdatum", "Straße", "PLZ", "Ort", "Telefon",
              "Mobil", "E-Mail", "IBAN", "Kontonummer", "BLZ", "Kreditkarte", "Reisepass-Nr.", "Firma",
              "Bestelldatum", "Betrag"]
    rows = []
    for index in range(60):
        names = de.names()
        rows.append({
            "Kundennummer": f.decoy("customer_number", f"K-{20400 + index}"),
            "Anrede": de.rng.choice(["Herr", "Frau", "Divers"]),
            "Vorname": f.pii("person_name", names["given"]),
            "Nachname": f.pii("person_name", names["family"]),
            "Geburtsdatum": f.dob(de.birth_date(), "dmy_dot"),
            "Straße": f.pii("postal_address", de.street()),
            "PLZ": f.decoy("postal_code", de.postcode()),
            "Ort": f.decoy("city", de.city()),
            "Telefon": f.pii("phone", de.phone(mobile=False)),
            "Mobil": f.pii("phone", de.phone()),
            "E-Mail": f.pii("email", de.email(names)),
            "IBAN": f.pii("iban", de.iban()),
            "Kontonummer": f.pii("bank_account", bank_account(de)),
            "BLZ": f.decoy("bank_code", d.blz()),
            "Kreditkarte": f.pii("payment_card", payment_card(de)),
            "Reisepass-Nr.": f.pii("passport", de.passport()) if index % 3 == 0 else "",
            "Firma": f.decoy("company_name", de.company()) if index % 3 == 1 else "",
            "Bestelldatum": f.decoy("business_date", format_date(de.business_date(), "dmy_dot")),
            "Betrag": f.decoy("amount", de.amount()),
        })
    return csv_bytes(header, rows, ";")


def idoc_customer(f: CorpusFile, loc: Locale, d: Decoys, index: int) -> list[str]:
    """Return the elements of one DEBMAS IDoc for a private customer."""
    names = loc.names()
    control = [
        xml_element("TABNAM", "EDI_DC40"),
        xml_element("DOCNUM", f.decoy("idoc_number", f"{4711000 + 17 * index:016d}")),
        xml_element("IDOCTYP", "DEBMAS07"), xml_element("MESTYP", "DEBMAS"), xml_element("SNDPRN", "ERPCLNT100"),
        xml_element("CREDAT", f.decoy("business_date", loc.business_date().strftime("%Y%m%d"))),
        xml_element("CRETIM", f"{loc.rng.randint(0, 23):02d}{loc.rng.randint(0, 59):02d}00"),
    ]
    bank = [
        xml_element("BANKS", LOCALE_COUNTRY[loc.code]),
        xml_element("BANKL", f.decoy("bank_code", d.blz() if loc.code == "de_DE" else d.sort_code().replace("-", ""))),
        xml_element("BANKN", f.pii("bank_account", bank_account(loc))),
        xml_element("IBAN", f.pii("iban", loc.iban(printed=False))),
    ]
    customer = [
        xml_element("MSGFN", "009"),
        xml_element("KUNNR", f.decoy("customer_number", f"{100234 + index:010d}")),
        xml_element("NAME1", f.pii("person_name", names["name"])),
        xml_element("STRAS", f.pii("postal_address", loc.street())),
        xml_element("PSTLZ", f.decoy("postal_code", loc.postcode())),
        xml_element("ORT01", f.decoy("city", loc.city())),
        xml_element("LAND1", LOCALE_COUNTRY[loc.code]),
        xml_element("TELF1", f.pii("phone", loc.phone())),
        xml_element("SMTP_ADDR", f.pii("email", loc.email(names))),
    ]
    return (["<IDOC BEGIN=\"1\">", "<EDI_DC40 SEGMENT=\"1\">", *control, "</EDI_DC40>",
             "<E1KNA1M SEGMENT=\"1\">", *customer, "<E1KNBKM SEGMENT=\"1\">", *bank, "</E1KNBKM>",
             "</E1KNA1M>", "</IDOC>"])


def build_idoc(f: CorpusFile, code: str, count: int, pretty: bool) -> bytes:
    loc = Locale(code, f.name)
    d = Decoys(loc)
    lines = ["<?xml version=\"1.0\" encoding=\"UTF-8\"?>", "<DEBMAS07>"]
    for index in range(count):
        lines.extend(idoc_customer(f, loc, d, index))
    lines.append("</DEBMAS07>")
    return ("\n".join(lines) if pretty else "".join(lines)).encode() + b"\n"


def sepa_header(f: CorpusFile, loc: Locale, d: Decoys, message: str, count: int) -> list[str]:
    return ["<GrpHdr>", xml_element("MsgId", f.decoy("message_id", f"{message}-{d.uuid()[:18]}")),
            xml_element("CreDtTm", f.decoy("timestamp", d.iso_timestamp())), xml_element("NbOfTxs", count),
            xml_element("CtrlSum", f.decoy("amount", f"{loc.rng.randint(10000, 900000)}.{loc.rng.randint(10, 99)}")),
            "<InitgPty>", xml_element("Nm", f.decoy("company_name", loc.company())), "</InitgPty>", "</GrpHdr>"]


def sepa_party(f: CorpusFile, role: str, names: dict, address: str, iban: str) -> list[str]:
    return [f"<{role}>", xml_element("Nm", f.pii("person_name", names["name"])), "<PstlAdr>",
            xml_element("AdrLine", f.pii("postal_address", address)), "</PstlAdr>", f"</{role}>",
            f"<{role}Acct>", "<Id>", xml_element("IBAN", f.pii("iban", iban)), "</Id>", f"</{role}Acct>"]


def build_sepa_credit_transfer(f: CorpusFile) -> bytes:
    """Build a pain.001 salary run from a German employer to accounts across the
    SEPA area."""
    de = Locale("de_DE", f.name)
    d = Decoys(de)
    banks = [Locale(code, f.name) for code in ("de_DE", "fr_FR", "nl_NL", "it_IT", "es_ES", "de_AT")]
    lines = ["<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
             "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pain.001.001.09\">", "<CstmrCdtTrfInitn>"]
    lines += sepa_header(f, de, d, "SAL", 50)
    lines += ["<PmtInf>", xml_element("PmtInfId", f.decoy("message_id", f"SAL-2026-11-{de.digits(4)}")),
              xml_element("PmtMtd", "TRF"), "<ReqdExctnDt>",
              xml_element("Dt", f.decoy("business_date", "2026-11-27")), "</ReqdExctnDt>",
              "<Dbtr>", xml_element("Nm", f.decoy("company_name", de.company())), "</Dbtr>",
              "<DbtrAcct>", "<Id>", xml_element("IBAN", f.pii("iban", de.iban(printed=False))), "</Id>", "</DbtrAcct>"]
    for index in range(50):
        bank = banks[0] if index < 30 else banks[1 + index % 5]
        names = de.names()
        lines += ["<CdtTrfTxInf>", "<PmtId>",
                  xml_element("EndToEndId", f.decoy("end_to_end_id", f"SAL2611-{index + 1:06d}")), "</PmtId>",
                  "<Amt>", f"<InstdAmt Ccy=\"EUR\">{f.decoy('amount', de.amount().replace('.', '').replace(',', '.'))}"
                  "</InstdAmt>", "</Amt>",
                  "<CdtrAgt>", "<FinInstnId>", xml_element("BICFI", f.decoy("bic", bank.fake.swift(length=8))),
                  "</FinInstnId>", "</CdtrAgt>"]
        lines += sepa_party(f, "Cdtr", names, de.full_address(), bank.iban(printed=False))
        lines += ["<RmtInf>", xml_element("Ustrd", f.decoy("remittance", f"Gehalt 11/2026 PN {de.digits(6)}")),
                  "</RmtInf>", "</CdtTrfTxInf>"]
    lines += ["</PmtInf>", "</CstmrCdtTrfInitn>", "</Document>"]
    return "\n".join(lines).encode() + b"\n"


def sepa_creditor_id(loc: Locale) -> str:
    """Return a SEPA creditor identifier: country, mod-97 check digits over the
    national part, the business code `ZZZ` and the national part."""
    national = "".join(loc.rng.choice("0123456789ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(6))
    check = 98 - int("".join(str(int(c, 36)) for c in national + "FR00")) % 97
    return f"FR{check:02d}ZZZ{national}"


def build_sepa_direct_debit(f: CorpusFile) -> bytes:
    """Build a pain.008 collection of subscription fees from French customers."""
    fr = Locale("fr_FR", f.name)
    d = Decoys(fr)
    lines = ["<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
             "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pain.008.001.08\">", "<CstmrDrctDbtInitn>"]
    lines += sepa_header(f, fr, d, "PRLV", 40)
    lines += ["<PmtInf>", xml_element("PmtInfId", f.decoy("message_id", f"PRLV-{fr.digits(8)}")),
              xml_element("PmtMtd", "DD"), xml_element("ReqdColltnDt", f.decoy("business_date", "2026-12-05")),
              "<Cdtr>", xml_element("Nm", f.decoy("company_name", fr.company())), "</Cdtr>",
              "<CdtrAcct>", "<Id>", xml_element("IBAN", f.pii("iban", fr.iban(printed=False))), "</Id>", "</CdtrAcct>",
              "<CdtrSchmeId>", "<Id>", "<PrvtId>", "<Othr>",
              xml_element("Id", f.decoy("sepa_creditor_id", sepa_creditor_id(fr))), "</Othr>", "</PrvtId>", "</Id>",
              "</CdtrSchmeId>"]
    for index in range(40):
        names = fr.names()
        lines += ["<DrctDbtTxInf>", "<PmtId>",
                  xml_element("EndToEndId", f.decoy("end_to_end_id", f"ABO-{index + 1:05d}-1126")), "</PmtId>",
                  f"<InstdAmt Ccy=\"EUR\">{f.decoy('amount', f'{fr.rng.randint(9, 89)}.{fr.rng.randint(10, 99)}')}"
                  "</InstdAmt>",
                  "<DrctDbtTx>", "<MndtRltdInf>", xml_element("MndtId", f.decoy("mandate_id", f"RUM-{fr.digits(10)}")),
                  xml_element("DtOfSgntr", f.decoy("business_date", fr.business_date().isoformat())),
                  "</MndtRltdInf>", "</DrctDbtTx>"]
        lines += sepa_party(f, "Dbtr", names, fr.full_address(), fr.iban(printed=False))
        lines += ["<RmtInf>", xml_element("Ustrd", f.decoy("remittance", f"Abonnement 11/2026 {d.order_number()}")),
                  "</RmtInf>", "</DrctDbtTxInf>"]
    lines += ["</PmtInf>", "</CstmrDrctDbtInitn>", "</Document>"]
    return "\n".join(lines).encode() + b"\n"


def build_fr_customer_csv(f: CorpusFile) -> bytes:
    fr = Locale("fr_FR", f.name)
    header = ["N° client", "Civilité", "Prénom", "Nom", "Date de naissance", "Adresse", "Code postal", "Ville",
              "Téléphone", "Portable", "Courriel", "IBAN", "N° passeport", "N° carte", "Date de commande",
              "Montant TTC"]
    rows = []
    for index in range(60):
        names = fr.names()
        rows.append({
            "N° client": f.decoy("customer_number", f"C{fr.digits(7)}"),
            "Civilité": fr.rng.choice(["M.", "Mme"]),
            "Prénom": f.pii("person_name", names["given"]),
            "Nom": f.pii("person_name", names["family"]),
            "Date de naissance": f.dob(fr.birth_date(), "dmy_slash"),
            "Adresse": f.pii("postal_address", fr.street()),
            "Code postal": f.decoy("postal_code", fr.postcode()),
            "Ville": f.decoy("city", fr.city()),
            "Téléphone": f.pii("phone", fr.phone(mobile=False)),
            "Portable": f.pii("phone", fr.phone()),
            "Courriel": f.pii("email", fr.email(names)),
            "IBAN": f.pii("iban", fr.iban()),
            "N° passeport": f.pii("passport", fr.passport()) if index % 3 == 0 else "",
            "N° carte": f.pii("payment_card", payment_card(fr)) if index % 2 == 0 else "",
            "Date de commande": f.decoy("business_date", format_date(fr.business_date(), "dmy_slash")),
            "Montant TTC": f.decoy("amount", fr.amount()),
        })
    return csv_bytes(header, rows, ";")


def build_fr_signup_form(f: CorpusFile) -> bytes:
    """Build a batch form post in the bracketed-key style of PHP shops."""
    fr = Locale("fr_FR", f.name)
    d = Decoys(fr)
    pairs = [("_csrf_token", f.decoy("token", fr.rng.randbytes(16).hex())), ("source", "salon-2026")]
    for index in range(25):
        names = fr.names()
        prefix = f"contacts[{index}]"
        pairs += [
            (f"{prefix}[prenom]", f.pii("person_name", names["given"])),
            (f"{prefix}[nom]", f.pii("person_name", names["family"])),
            (f"{prefix}[email]", f.pii("email", fr.email(names))),
            (f"{prefix}[telephone]", f.pii("phone", fr.phone())),
            (f"{prefix}[date_naissance]", f.dob(fr.birth_date(), "dmy_slash")),
            (f"{prefix}[adresse]", f.pii("postal_address", fr.full_address())),
            (f"{prefix}[ville]", f.decoy("city", fr.city())),
            (f"{prefix}[date_inscription]", f.decoy("business_date", fr.business_date().isoformat())),
            (f"{prefix}[ref]", f.decoy("order_number", d.order_number())),
        ]
    pairs.append(("consent", "1"))
    return form_bytes(pairs)


def birth_date_of(cn_id: str) -> date:
    return date(int(cn_id[6:10]), int(cn_id[10:12]), int(cn_id[12:14]))


def written_cn_id(loc: Locale, value: str) -> str:
    """Some people type the check character X in lower case."""
    return value.lower() if value.endswith("X") and loc.rng.random() < 0.5 else value


def build_cn_customers(f: CorpusFile) -> bytes:
    """Build a paged API response with Chinese keys, serialised with `\\u` escapes
    as many Java back ends do."""
    cn = Locale("zh_CN", f.name)
    d = Decoys(cn)
    rows = []
    for index in range(50):
        names = cn.names()
        cn_id = cn.cn_resident_id()
        rows.append({
            "客户编号": f.decoy("customer_number", f"KH2024{index + 1:06d}"),
            "姓名": f.pii("person_name", names["name"]),
            "性别": cn.rng.choice(["男", "女"]),
            "身份证号": f.pii("cn_resident_id", written_cn_id(cn, cn_id)),
            "出生日期": f.dob(birth_date_of(cn_id), cn.rng.choice(["cjk", "iso"])),
            "手机": f.pii("phone", cn.phone()),
            "固定电话": f.pii("phone", cn.phone(mobile=False)) if index % 2 else "",
            "邮箱": f.pii("email", cn.email(names)),
            "住所": f.pii("postal_address", cn.full_address()),
            "邮编": f.decoy("postal_code", cn.postcode()),
            "银行卡号": f.pii("bank_account", bank_account(cn)),
            "开户行": "中国工商银行",
            "信用卡号": f.pii("payment_card", payment_card(cn)),
            "注册IP": f.pii("ip_address", cn.ip()),
            "创建时间": f.decoy("timestamp", f"{cn.business_date()} {cn.rng.randint(8, 22):02d}:{index:02d}:31"),
            "订单": [{"订单号": f.decoy("order_number", f"DD{cn.digits(14)}"),
                      "下单日期": f.decoy("business_date", cn.business_date().isoformat()),
                      "金额": f.decoy("amount", cn.amount())}],
        })
    return json_bytes({"code": 0, "msg": "success", "data": {"total": 50, "list": rows}}, ascii_only=True)


def build_cn_member_csv(f: CorpusFile) -> bytes:
    cn = Locale("zh_CN", f.name)
    header = ["会员编号", "姓名", "身份证号码", "出生日期", "手机号码", "电子邮箱", "联系地址", "银行卡号", "注册日期", "积分"]
    rows = []
    for index in range(60):
        names = cn.names()
        cn_id = cn.cn_resident_id()
        rows.append({
            "会员编号": f.decoy("customer_number", f"VIP{cn.digits(8)}"),
            "姓名": f.pii("person_name", names["name"]),
            "身份证号码": f.pii("cn_resident_id", written_cn_id(cn, cn_id)),
            "出生日期": f.dob(birth_date_of(cn_id), cn.rng.choice(["iso", "ymd_slash", "cjk"])),
            "手机号码": f.pii("phone", cn.phone()),
            "电子邮箱": f.pii("email", cn.email(names)),
            "联系地址": f.pii("postal_address", cn.full_address()),
            "银行卡号": f.pii("bank_account", bank_account(cn)),
            "注册日期": f.decoy("business_date", cn.business_date().isoformat()),
            "积分": str(cn.rng.randint(0, 50000)),
        })
    return csv_bytes(header, rows, ",", line_end="\n")


def build_cn_employees(f: CorpusFile) -> bytes:
    """Build HR records with emergency contacts and children, whose resident IDs
    and dates of birth make them minors."""
    cn = Locale("zh_CN", f.name)
    records = []
    for index in range(40):
        names = cn.names()
        cn_id = cn.cn_resident_id()
        children = []
        for _ in range(cn.rng.choice((0, 0, 1, 1))):
            child_id = cn.cn_resident_id(minor=True)
            children.append({"姓名": f.pii("person_name", names["family"] + cn.fake.first_name()),
                             "出生日期": f.dob(birth_date_of(child_id), "iso"),
                             "身份证号": f.pii("cn_resident_id", child_id)})
        contact = cn.names()
        records.append({
            "工号": f.decoy("employee_number", f"E{index + 1:05d}"),
            "姓名": f.pii("person_name", names["name"]),
            "身份证号": f.pii("cn_resident_id", written_cn_id(cn, cn_id)),
            "出生日期": f.dob(birth_date_of(cn_id), "cjk"),
            "手机": f.pii("phone", cn.phone()),
            "邮箱": f.pii("email", cn.email(names)),
            "家庭住址": f.pii("postal_address", cn.full_address()),
            "银行卡号": f.pii("bank_account", bank_account(cn)),
            "护照号": f.pii("passport", cn.passport()) if index % 2 == 0 else "",
            "入职日期": f.decoy("business_date", cn.business_date().isoformat()),
            "紧急联系人": {"姓名": f.pii("person_name", contact["name"]), "电话": f.pii("phone", cn.phone())},
            "子女": children,
        })
    return json_bytes(records)


def build_attendance_devices(f: CorpusFile) -> bytes:
    """Build a user sync from time-attendance terminals with face and fingerprint
    templates. The RFID `cardNo` is a badge, not a payment card."""
    cn = Locale("zh_CN", f.name)
    d = Decoys(cn)
    users = []
    for index in range(30):
        names = cn.names()
        users.append({
            "userId": f.decoy("employee_number", str(100023 + index)),
            "name": f.pii("person_name", names["name"]),
            "cardNo": f.decoy("badge_number", cn.digits(10, "0")),
            "privilege": 0,
            "faceFeature": f.pii("biometric", cn.biometric_blob(fingerprint=False)),
            "fingerprint": f.pii("biometric", cn.biometric_blob(fingerprint=True)),
        })
    document = {"deviceSn": f.decoy("serial_number", f"CQZ7{cn.digits(9)}"),
                "pushTime": f.decoy("unix_millis", d.unix_millis()), "users": users}
    return json_bytes(document, indent=None)


def build_delivery_orders(f: CorpusFile) -> bytes:
    cn = Locale("zh_CN", f.name)
    d = Decoys(cn)
    orders = []
    for _ in range(30):
        names = cn.names()
        lat, lng = cn.coordinate_pair("CN", decimals=cn.rng.choice((5, 6)))
        warehouse_lat, warehouse_lng = d.warehouse_coordinate("CN")
        orders.append({
            "运单号": f.decoy("tracking_number", f"SF{cn.digits(12)}"),
            "收货人": f.pii("person_name", names["name"]),
            "收货人手机": f.pii("phone", cn.phone()),
            "收货地址": f.pii("postal_address", cn.full_address()),
            "lat": f.coordinate(lat),
            "lng": f.coordinate(lng),
            "仓库": {"名称": "上海一号仓", "lat": f.decoy("warehouse_coordinate", warehouse_lat),
                     "lng": f.decoy("warehouse_coordinate", warehouse_lng)},
            "下单时间": int(f.decoy("unix_millis", d.unix_millis())),
        })
    return json_bytes({"orders": orders})


def build_jp_customer_tsv(f: CorpusFile) -> bytes:
    """Build a tab-separated export with the UTF-8 byte order mark that Excel
    writes."""
    jp = Locale("ja_JP", f.name)
    header = ["顧客番号", "氏名", "フリガナ", "生年月日", "郵便番号", "住所", "電話番号", "携帯電話", "メールアドレス",
              "カード番号", "旅券番号", "口座番号", "受注日", "金額"]
    rows = []
    for index in range(60):
        names = jp.names()
        rows.append({
            "顧客番号": f.decoy("customer_number", f"{jp.digits(8, '1')}"),
            "氏名": f.pii("person_name", names["name"]),
            "フリガナ": f.pii("person_name", names["kana"]),
            "生年月日": f.dob(jp.birth_date(), jp.rng.choice(["cjk", "ymd_slash"])),
            "郵便番号": f.decoy("postal_code", jp.fake.zipcode()),
            "住所": f.pii("postal_address", jp.full_address()),
            "電話番号": f.pii("phone", jp.phone(mobile=False)),
            "携帯電話": f.pii("phone", jp.phone()),
            "メールアドレス": f.pii("email", jp.email(names)),
            "カード番号": f.pii("payment_card", payment_card(jp)),
            "旅券番号": f.pii("passport", jp.passport()) if index % 2 == 0 else "",
            "口座番号": f.pii("bank_account", bank_account(jp)),
            "受注日": f.decoy("business_date", format_date(jp.business_date(), "ymd_slash")),
            "金額": f.decoy("amount", str(jp.rng.randint(500, 990000))),
        })
    return "\ufeff".encode() + csv_bytes(header, rows, "\t")


def build_jp_employees(f: CorpusFile) -> bytes:
    jp = Locale("ja_JP", f.name)
    records = []
    for index in range(40):
        names = jp.names()
        family = []
        for _ in range(jp.rng.choice((0, 1, 1))):
            child = jp.names()
            family.append({"氏名": f.pii("person_name", f"{names['family']} {child['given']}"),
                           "続柄": jp.rng.choice(["長男", "長女", "次男", "次女"]),
                           "生年月日": f.dob(jp.birth_date(minor=True), "iso")})
        records.append({
            "社員番号": f.decoy("employee_number", f"{20150 + index:06d}"),
            "氏名": f.pii("person_name", names["name"]),
            "氏名カナ": f.pii("person_name", names["kana"]),
            "生年月日": f.dob(jp.birth_date(), "iso"),
            "住所": f.pii("postal_address", jp.full_address()),
            "電話番号": f.pii("phone", jp.phone()),
            "メールアドレス": f.pii("email", jp.email(names)),
            "入社日": f.decoy("business_date", jp.business_date().isoformat()),
            "扶養家族": family,
            "振込口座": {"銀行名": "みずほ銀行", "支店名": "新宿支店", "口座番号": f.pii("bank_account", bank_account(jp))},
        })
    return json_bytes(records)


def build_jp_inquiry_form(f: CorpusFile) -> bytes:
    jp = Locale("ja_JP", f.name)
    pairs = []
    for index in range(25):
        names = jp.names()
        prefix = f"inquiries[{index}]"
        pairs += [
            (f"{prefix}[name]", f.pii("person_name", names["name"])),
            (f"{prefix}[kana]", f.pii("person_name", names["kana"])),
            (f"{prefix}[email]", f.pii("email", jp.email(names))),
            (f"{prefix}[tel]", f.pii("phone", jp.phone())),
            (f"{prefix}[zip]", f.decoy("postal_code", jp.fake.zipcode())),
            (f"{prefix}[address]", f.pii("postal_address", jp.full_address())),
            (f"{prefix}[company]", f.decoy("company_name", jp.company())),
            (f"{prefix}[message]", "見積もりをお願いします。納期もご連絡ください。"),
        ]
    return form_bytes(pairs)


def diagnosis_pair(loc: Locale) -> tuple[str, str]:
    """Return a diagnosis text (sometimes with its code in front) and an ICD-10
    code (sometimes written without the dot)."""
    entry = loc.rng.choice(DIAGNOSES)
    text = entry[DIAGNOSIS_LANGUAGE[loc.code]]
    code = entry[0]
    if loc.rng.random() < 0.25:
        text = f"{code} {text}"
    if loc.rng.random() < 0.15:
        code = code.replace(".", "")
    return text, code


def build_us_encounters(f: CorpusFile) -> bytes:
    """Build patient encounters shaped like ERPNext Healthcare, some of children."""
    us = Locale("en_US", f.name)
    d = Decoys(us)
    records = []
    for index in range(40):
        names = us.names()
        text, code = diagnosis_pair(us)
        records.append({
            "name": f.decoy("document_id", d.document_id("PE")),
            "patient_name": f.pii("person_name", names["name"]),
            "patient_dob": f.dob(us.birth_date(minor=index % 5 == 0), "iso"),
            "ssn": f.pii("us_ssn", us.us_ssn()),
            "practitioner_name": f.pii("person_name", us.names()["name"]),
            "encounter_date": f.decoy("business_date", us.business_date().isoformat()),
            "medical_department": us.rng.choice(["Cardiology", "General Medicine", "Pediatrics", "Orthopedics"]),
            "diagnosis": f.pii("health", text),
            "diagnosis_code": f.pii("health", code),
            "encounter_fee": f.decoy("amount", us.amount()),
        })
    return json_bytes(records)


def build_cn_clinic(f: CorpusFile) -> bytes:
    cn = Locale("zh_CN", f.name)
    records = []
    for index in range(30):
        names = cn.names()
        text, code = diagnosis_pair(cn)
        records.append({
            "门诊号": f.decoy("document_id", f"MZ{cn.digits(10)}"),
            "患者姓名": f.pii("person_name", names["name"]),
            "身份证号": f.pii("cn_resident_id", cn.cn_resident_id()),
            "就诊日期": f.decoy("business_date", cn.business_date().isoformat()),
            "科室": cn.rng.choice(["内科", "外科", "儿科", "骨科"]),
            "诊断": f.pii("health", text),
            "诊断编码": f.pii("health", code),
            "医生": f.pii("person_name", cn.names()["name"]),
        })
    return json_bytes({"records": records})


def build_de_patient_csv(f: CorpusFile) -> bytes:
    de = Locale("de_DE", f.name)
    header = ["Patientennr.", "Name", "Geburtsdatum", "Diagnose", "ICD-10", "Aufnahmedatum", "Station"]
    rows = []
    for index in range(20):
        text, code = diagnosis_pair(de)
        rows.append({
            "Patientennr.": f.decoy("document_id", f"P{de.digits(7)}"),
            "Name": f.pii("person_name", de.names()["name"]),
            "Geburtsdatum": f.dob(de.birth_date(minor=index % 7 == 3), "dmy_dot"),
            "Diagnose": f.pii("health", text),
            "ICD-10": f.pii("health", code),
            "Aufnahmedatum": f.decoy("business_date", format_date(de.business_date(), "dmy_dot")),
            "Station": de.rng.choice(["Innere 2", "Chirurgie 1", "Kardiologie"]),
        })
    return csv_bytes(header, rows, ";")


def build_field_service(f: CorpusFile) -> bytes:
    """Build field-service visits with the technician's check-in position and a
    GPS fix, next to the depot's coarse position."""
    visits = []
    for code in ("de_DE", "fr_FR", "en_GB", "en_US", "ja_JP"):
        loc = Locale(code, f.name)
        d = Decoys(loc)
        country = LOCALE_COUNTRY[code]
        for _ in range(10):
            lat, lng = loc.coordinate_pair(country, decimals=loc.rng.choice((4, 5, 6, 7)))
            fix_lat, fix_lng = loc.coordinate_pair(country, decimals=6)
            separator = loc.rng.choice([",", ", "])
            depot_lat, depot_lng = d.warehouse_coordinate(country)
            visits.append({
                "visit_id": f.decoy("document_id", d.document_id("FSV")),
                "technician": f.pii("person_name", loc.names()["name"]),
                "customer_name": f.pii("person_name", loc.names()["name"]),
                "customer_phone": f.pii("phone", loc.phone()),
                "customer_address": f.pii("postal_address", loc.full_address()),
                "scheduled_for": f.decoy("timestamp", d.iso_timestamp()),
                "check_in": {"lat": f.coordinate(lat), "lng": f.coordinate(lng), "accuracy_m": 12.5},
                "gps": f.pii("precise_location", f"{fix_lat}{separator}{fix_lng}"),
                "depot": {"code": f"WH-{country}-01", "lat": f.decoy("warehouse_coordinate", depot_lat),
                          "lng": f.decoy("warehouse_coordinate", depot_lng)},
            })
    return json_bytes({"visits": visits})


def build_audit_log(f: CorpusFile) -> bytes:
    """Build customer-portal login events: client addresses next to client
    versions that look like IPv4 addresses."""
    de = Locale("de_DE", f.name)
    d = Decoys(de)
    users = [de.email(de.names()) for _ in range(20)]
    events = []
    for index in range(60):
        events.append({
            "timestamp": f.decoy("timestamp", d.iso_timestamp()),
            "event": de.rng.choice(["login.success", "login.failure", "password.reset"]),
            "user": f.pii("email", users[index % 20]),
            "client_ip": f.pii("ip_address", de.ip()),
            "session_id": f.decoy("uuid", d.uuid()),
            "client_version": f.decoy("version", f"{de.rng.randint(1, 9)}.{de.rng.randint(0, 9)}."
                                                 f"{de.rng.randint(0, 9)}.{de.rng.randint(1, 99)}"),
            "duration_ms": de.rng.randint(20, 900),
        })
    return json_bytes({"events": events}, indent=None)


def build_applicant_upload(f: CorpusFile) -> bytes:
    de = Locale("de_DE", f.name)
    header = ["Vorname", "Nachname", "E-Mail", "Telefon", "Geburtsdatum", "Anschrift", "Eintrittsdatum"]
    rows = []
    for _ in range(20):
        names = de.names()
        rows.append({
            "Vorname": f.pii("person_name", names["given"]),
            "Nachname": f.pii("person_name", names["family"]),
            "E-Mail": f.pii("email", de.email(names)),
            "Telefon": f.pii("phone", de.phone()),
            "Geburtsdatum": f.dob(de.birth_date(), "dmy_dot"),
            "Anschrift": f.pii("postal_address", de.full_address()),
            "Eintrittsdatum": f.decoy("business_date", format_date(de.business_date(), "dmy_dot")),
        })
    recruiter = de.names()
    fields = [("recruiter", f.pii("person_name", recruiter["name"])),
              ("recruiter_email", f.pii("email", de.email(recruiter))),
              ("requisition", f.decoy("document_id", "REQ-2026-0042"))]
    return multipart_bytes(fields, "bewerber", "bewerber.csv", csv_bytes(header, rows, ";"))


# ---------------------------------------------------------------------------
# Negative-only files: business data that must produce no finding.
# ---------------------------------------------------------------------------


def build_negative_orders(f: CorpusFile) -> bytes:
    us = Locale("en_US", f.name)
    d = Decoys(us)
    orders = []
    for _ in range(40):
        lat, lng = d.warehouse_coordinate("US")
        orders.append({
            "order_id": f.decoy("order_number", d.order_number()),
            "external_id": f.decoy("uuid", d.uuid()),
            "invoice_no": f.decoy("phone_shaped_invoice", d.phone_shaped_invoice()),
            "created_at": f.decoy("timestamp", d.iso_timestamp()),
            "updated_at": int(f.decoy("unix_millis", d.unix_millis())),
            "order_date": f.decoy("business_date", d.business_date()),
            "due_date": f.decoy("business_date", d.business_date()),
            "company_name": f.decoy("company_name", us.company()),
            "ship_to_city": f.decoy("city", us.city()),
            "ship_to_zip": f.decoy("postal_code", us.fake.zipcode()),
            "amount": f.decoy("amount", float(us.amount())),
            "payment_reference": f.decoy("luhn_failing_number", d.bad_luhn()),
            "warehouse": {"code": "WH-NJ-02", "lat": f.decoy("warehouse_coordinate", lat),
                          "lng": f.decoy("warehouse_coordinate", lng)},
            "items": [{"sku": f.decoy("sku", d.sku()), "item_code": f.decoy("icd_like_sku", d.icd_like_sku()),
                       "quantity": us.rng.randint(1, 40)} for _ in range(2)],
            "tracking_number": f.decoy("tracking_number", f"1Z{us.digits(6, '0123456789')}{us.digits(10)}"),
        })
    return json_bytes({"orders": orders})


def build_negative_invoices_de(f: CorpusFile) -> bytes:
    de = Locale("de_DE", f.name)
    d = Decoys(de)
    header = ["Rechnungsnummer", "Rechnungsdatum", "Fälligkeitsdatum", "Firma", "Ort", "PLZ", "Betrag",
              "Referenz", "IBAN", "Artikelnummer", "EAN"]
    rows = []
    for _ in range(40):
        rows.append({
            "Rechnungsnummer": f.decoy("invoice_number", f"RE-{de.rng.randint(2023, 2026)}-{de.digits(5)}"),
            "Rechnungsdatum": f.decoy("business_date", format_date(de.business_date(), "dmy_dot")),
            "Fälligkeitsdatum": f.decoy("business_date", format_date(de.business_date(), "dmy_dot")),
            "Firma": f.decoy("company_name", de.company()),
            "Ort": f.decoy("city", de.city()),
            "PLZ": f.decoy("postal_code", de.postcode()),
            "Betrag": f.decoy("amount", de.amount()),
            "Referenz": f.decoy("luhn_failing_number", d.bad_luhn()),
            "IBAN": f.decoy("iban_failing_mod97", d.bad_iban()),
            "Artikelnummer": f.decoy("icd_like_sku", d.icd_like_sku()),
            "EAN": f.decoy("ean13", d.ean13()),
        })
    return csv_bytes(header, rows, ";")


def build_negative_inventory_cn(f: CorpusFile) -> bytes:
    cn = Locale("zh_CN", f.name)
    d = Decoys(cn)
    items = []
    for _ in range(40):
        lat, lng = d.warehouse_coordinate("CN")
        items.append({
            "物料编码": f.decoy("sku", d.sku()),
            "批次号": f.decoy("batch_number", f"B{cn.business_date().strftime('%Y%m%d')}{cn.digits(3)}"),
            "单据号": f.decoy("cn_id_failing_check", d.bad_cn_id()),
            "公司名称": f.decoy("company_name", cn.company()),
            "仓库": {"城市": f.decoy("city", cn.city()), "lat": f.decoy("warehouse_coordinate", lat),
                     "lng": f.decoy("warehouse_coordinate", lng)},
            "创建时间": int(f.decoy("unix_millis", d.unix_millis())),
            "交货日期": f.decoy("business_date", d.business_date()),
            "金额": f.decoy("amount", cn.amount()),
            "版本号": f.decoy("version", d.version()),
        })
    return json_bytes({"items": items})


def build_negative_manifest(f: CorpusFile) -> bytes:
    loc = Locale("en_US", f.name)
    d = Decoys(loc)
    components = []
    for _ in range(40):
        components.append({
            "name": loc.rng.choice(["erp-connector", "sap-rfc", "odoo-sync", "invoice-render", "edi-mapper"]),
            "version": f.decoy("version", d.version()),
            "package": f.decoy("version", f"pkg@{loc.rng.randint(0, 4)}.{loc.rng.randint(0, 12)}.{loc.rng.randint(0, 40)}"),
            "build_id": f.decoy("uuid", d.uuid()),
            "built_at": f.decoy("timestamp", d.iso_timestamp()),
            "commit": f.decoy("commit_hash", loc.rng.randbytes(20).hex()),
        })
    return json_bytes({"release": f.decoy("version", "2026.11.3.1"), "components": components})


def build_negative_orders_jp(f: CorpusFile) -> bytes:
    jp = Locale("ja_JP", f.name)
    d = Decoys(jp)
    header = ["受注番号", "受注日", "納期", "会社名", "市区町村", "郵便番号", "金額", "品番", "請求書番号"]
    rows = []
    for _ in range(40):
        rows.append({
            "受注番号": f.decoy("order_number", d.order_number()),
            "受注日": f.decoy("business_date", format_date(jp.business_date(), "ymd_slash")),
            "納期": f.decoy("business_date", format_date(jp.business_date(), "cjk")),
            "会社名": f.decoy("company_name", jp.company()),
            "市区町村": f.decoy("city", jp.city()),
            "郵便番号": f.decoy("postal_code", jp.fake.zipcode()),
            "金額": f.decoy("amount", str(jp.rng.randint(1000, 9_000_000))),
            "品番": f.decoy("icd_like_sku", d.icd_like_sku()),
            "請求書番号": f.decoy("phone_shaped_invoice", d.phone_shaped_invoice()),
        })
    return csv_bytes(header, rows, "\t")


def build_negative_form_fr(f: CorpusFile) -> bytes:
    fr = Locale("fr_FR", f.name)
    d = Decoys(fr)
    pairs = []
    for index in range(30):
        prefix = f"commandes[{index}]"
        pairs += [
            (f"{prefix}[numero]", f.decoy("order_number", d.order_number())),
            (f"{prefix}[date_commande]", f.decoy("business_date", format_date(fr.business_date(), "dmy_slash"))),
            (f"{prefix}[date_echeance]", f.decoy("business_date", format_date(fr.business_date(), "dmy_slash"))),
            (f"{prefix}[societe]", f.decoy("company_name", fr.company())),
            (f"{prefix}[ville]", f.decoy("city", fr.city())),
            (f"{prefix}[code_postal]", f.decoy("postal_code", fr.postcode())),
            (f"{prefix}[montant]", f.decoy("amount", fr.amount())),
            (f"{prefix}[iban]", f.decoy("iban_failing_mod97", d.bad_iban())),
        ]
    return form_bytes(pairs)


def build_negative_invoice_gb(f: CorpusFile) -> bytes:
    """Build a UBL-like invoice between two companies."""
    gb = Locale("en_GB", f.name)
    d = Decoys(gb)
    lines = ["<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
             "<Invoice xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:Invoice-2\">",
             xml_element("ID", f.decoy("phone_shaped_invoice", d.phone_shaped_invoice())),
             xml_element("IssueDate", f.decoy("business_date", gb.business_date().isoformat())),
             xml_element("DueDate", f.decoy("business_date", gb.business_date().isoformat()))]
    for role in ("AccountingSupplierParty", "AccountingCustomerParty"):
        lines += [f"<{role}>", "<Party>", xml_element("Name", f.decoy("company_name", gb.company())),
                  xml_element("CityName", f.decoy("city", gb.city())),
                  xml_element("PostalZone", f.decoy("postal_code", gb.postcode())),
                  xml_element("CompanyID", f.decoy("vat_number", f"GB{gb.digits(9)}")), "</Party>", f"</{role}>"]
    for index in range(40):
        lines += ["<InvoiceLine>", xml_element("ID", index + 1),
                  xml_element("LineExtensionAmount", f.decoy("amount", gb.amount())),
                  xml_element("SellersItemIdentification", f.decoy("sku", d.sku())),
                  xml_element("StandardItemIdentification", f.decoy("ean13", d.ean13())),
                  xml_element("OrderLineReference", f.decoy("order_number", d.order_number())),
                  "</InvoiceLine>"]
    lines.append("</Invoice>")
    return "\n".join(lines).encode() + b"\n"


# ---------------------------------------------------------------------------
# The corpus: file list, self-checks and output.
# ---------------------------------------------------------------------------

JSON = "application/json"
CSV = "text/csv; charset=utf-8"
TSV = "text/tab-separated-values; charset=utf-8"
XML = "application/xml"
FORM = "application/x-www-form-urlencoded"
MULTIPART = f"multipart/form-data; boundary={MULTIPART_BOUNDARY}"

# (file, shape, locales, content type, content encoding, request path, builder)
POSITIVE_FILES = (
    ("odoo_res_partner_en_US.json", "json-flat", ["en_US"], JSON, None, "/web/dataset/call_kw/res.partner/write",
     build_odoo_partners),
    ("odoo_hr_employee_en_US.json", "json-nested", ["en_US"], JSON, None, "/web/dataset/call_kw/hr.employee/write",
     build_odoo_employees),
    ("customers_en_US.csv", "csv-comma", ["en_US"], CSV, None, "/import/customers", build_us_customer_csv),
    ("w2_payroll_en_US.json", "json-nested", ["en_US"], JSON, None, "/api/v1/payroll/w2", build_w2_payroll),
    ("patient_encounter_en_US.json", "json-flat", ["en_US"], JSON, None, "/api/resource/Patient%20Encounter",
     build_us_encounters),
    ("erpnext_customer_en_GB.json", "json-nested", ["en_GB"], JSON, None, "/api/resource/Customer",
     build_erpnext_customers),
    ("erpnext_employee_en_GB.json.gz", "json-nested", ["en_GB"], JSON, "gzip", "/api/resource/Employee",
     build_erpnext_employees),
    ("hmrc_payroll_en_GB.multipart", "multipart-csv", ["en_GB"], MULTIPART, None, "/payroll/upload",
     build_hmrc_upload),
    ("idoc_debmas_en_GB.xml", "xml-idoc", ["en_GB"], XML, None, "/sap/xi/adapter_plain",
     lambda f: build_idoc(f, "en_GB", 25, pretty=False)),
    ("sap_business_partner_de_DE.json", "json-nested", ["de_DE"], JSON, None,
     "/sap/opu/odata4/sap/api_business_partner/srvd_a2x/sap/businesspartner/0001/A_BusinessPartner",
     build_sap_partners),
    ("kunden_de_DE.csv", "csv-semicolon", ["de_DE"], CSV, None, "/import/kunden", build_de_customer_csv),
    ("idoc_debmas_de_DE.xml", "xml-idoc", ["de_DE"], XML, None, "/sap/xi/adapter_plain",
     lambda f: build_idoc(f, "de_DE", 30, pretty=True)),
    ("sepa_pain001_de_DE.xml", "xml-sepa", ["de_DE", "fr_FR", "nl_NL", "it_IT", "es_ES", "de_AT"], XML, None,
     "/ebics/upload", build_sepa_credit_transfer),
    ("patienten_de_DE.csv", "csv-semicolon", ["de_DE"], CSV, None, "/kis/export", build_de_patient_csv),
    ("portal_audit_de_DE.json", "json-flat", ["de_DE"], JSON, None, "/siem/ingest", build_audit_log),
    ("bewerber_de_DE.multipart", "multipart-csv", ["de_DE"], MULTIPART, None, "/recruiting/import",
     build_applicant_upload),
    ("clients_fr_FR.csv", "csv-semicolon", ["fr_FR"], CSV, None, "/import/clients", build_fr_customer_csv),
    ("sepa_pain008_fr_FR.xml", "xml-sepa", ["fr_FR"], XML, None, "/ebics/upload", build_sepa_direct_debit),
    ("inscription_fr_FR.form", "form", ["fr_FR"], FORM, None, "/crm/contacts/import", build_fr_signup_form),
    ("kehu_zh_CN.json", "json-nested", ["zh_CN"], "application/json;charset=UTF-8", None, "/api/crm/customer/sync",
     build_cn_customers),
    ("huiyuan_zh_CN.csv", "csv-comma", ["zh_CN"], CSV, None, "/import/members", build_cn_member_csv),
    ("yuangong_zh_CN.json.br", "json-nested", ["zh_CN"], JSON, "br", "/api/hr/employees", build_cn_employees),
    ("attendance_zh_CN.json", "json-nested", ["zh_CN"], JSON, None, "/iclock/users", build_attendance_devices),
    ("menzhen_zh_CN.json", "json-flat", ["zh_CN"], JSON, None, "/his/outpatient", build_cn_clinic),
    ("delivery_zh_CN.json", "json-nested", ["zh_CN"], JSON, None, "/tms/orders", build_delivery_orders),
    ("kokyaku_ja_JP.tsv", "csv-tab", ["ja_JP"], TSV, None, "/import/kokyaku", build_jp_customer_tsv),
    ("shain_ja_JP.json.zst", "json-nested", ["ja_JP"], JSON, "zstd", "/api/jinji/shain", build_jp_employees),
    ("toiawase_ja_JP.form", "form", ["ja_JP"], FORM, None, "/crm/inquiries/import", build_jp_inquiry_form),
    ("field_service_mixed.json", "json-nested", ["de_DE", "fr_FR", "en_GB", "en_US", "ja_JP"], JSON, None,
     "/fsm/visits", build_field_service),
)
NEGATIVE_FILES = (
    ("sales_orders_en_US.json", "json-nested", ["en_US"], JSON, None, "/api/orders", build_negative_orders),
    ("rechnungen_de_DE.csv", "csv-semicolon", ["de_DE"], CSV, None, "/import/rechnungen",
     build_negative_invoices_de),
    ("kucun_zh_CN.json", "json-nested", ["zh_CN"], JSON, None, "/api/wms/stock", build_negative_inventory_cn),
    ("build_manifest.json", "json-nested", ["en_US"], JSON, None, "/api/releases", build_negative_manifest),
    ("juchu_ja_JP.tsv", "csv-tab", ["ja_JP"], TSV, None, "/import/juchu", build_negative_orders_jp),
    ("commandes_fr_FR.form", "form", ["fr_FR"], FORM, None, "/erp/commandes", build_negative_form_fr),
    ("invoice_en_GB.xml", "xml-ubl", ["en_GB"], XML, None, "/peppol/outbound", build_negative_invoice_gb),
)


def decode_body(body: bytes, coding: str | None) -> bytes:
    if coding == "gzip":
        return gzip.decompress(body)
    if coding == "br":
        return brotli.decompress(body)
    if coding == "zstd":
        return zstandard.ZstdDecompressor().decompress(body)
    return body


def csv_fields(text: str) -> list[str]:
    text = text.lstrip("\ufeff")
    first_line = text.split("\n", 1)[0]
    delimiter = ","
    if "\t" in first_line:
        delimiter = "\t"
    elif ";" in first_line:
        delimiter = ";"
    return [cell for row in csv.reader(io.StringIO(text), delimiter=delimiter) for cell in row]


def json_fields(node) -> list[str]:
    if isinstance(node, dict):
        return [v for value in node.values() for v in json_fields(value)]
    if isinstance(node, list):
        return [v for value in node for v in json_fields(value)]
    return [] if node is None or isinstance(node, bool) else [str(node)]


def multipart_fields(text: str) -> list[str]:
    values = []
    for part in text.split(f"--{MULTIPART_BOUNDARY}")[1:-1]:
        headers, _, content = part.strip("\r\n").partition("\r\n\r\n")
        values += csv_fields(content) if "filename=" in headers else [content]
    return values


def field_values(content_type: str, body: bytes) -> list[str]:
    """Return every field value of a decoded body, as a reader of its format parses it."""
    text = body.decode("utf-8")
    if content_type.startswith("application/json"):
        return json_fields(json.loads(text, parse_float=str, parse_int=str))
    if content_type.startswith(("text/csv", "text/tab-separated-values")):
        return csv_fields(text)
    if content_type == XML:
        return [element.text for element in ElementTree.fromstring(body).iter() if element.text]
    if content_type == FORM:
        return [value for _, value in urllib.parse.parse_qsl(text, keep_blank_values=True)]
    return multipart_fields(text)


LABEL_RULES = {
    "cn_resident_id": is_valid_cn_id,
    "us_ssn": is_valid_ssn,
    "uk_nino": is_valid_nino,
    "iban": is_valid_iban,
    "payment_card": lambda value: luhn_ok(value.replace(" ", "").replace("-", "")),
}


def check_file(f: CorpusFile, body: bytes) -> None:
    """Check that every label and decoy is a whole field of the body and
    that every checksum category label passes its rule."""
    fields = Counter(field_values(f.content_type, decode_body(body, f.content_encoding)))
    wanted = Counter([entry["value"] for entry in f.expected] + [entry["value"] for entry in f.decoys])
    missing = wanted - fields
    if missing:
        raise AssertionError(f"{f.name}: labels or decoys that are not whole fields of the body: {list(missing)[:5]}")
    for entry in f.expected:
        rule = LABEL_RULES.get(entry["category"])
        if rule and not rule(entry["value"]):
            raise AssertionError(f"{f.name}: invalid {entry['category']} label {entry['value']}")
    labelled = {entry["value"] for entry in f.expected}
    clashes = [entry["value"] for entry in f.decoys if entry["value"] in labelled]
    if clashes:
        raise AssertionError(f"{f.name}: decoys equal to labels: {clashes[:5]}")


def build_corpus() -> list[tuple[CorpusFile, bytes]]:
    corpus = []
    for kind, specs in (("positive", POSITIVE_FILES), ("negative", NEGATIVE_FILES)):
        for name, shape, locales, content_type, coding, path, builder in specs:
            f = CorpusFile(name=f"{kind}/{name}", kind=kind, shape=shape, locales=locales,
                           content_type=content_type, content_encoding=coding, path=path)
            body = builder(f)
            if coding:
                body = compress(body, coding)
            check_file(f, body)
            corpus.append((f, body))
    return corpus


def render_labels(corpus: list[tuple[CorpusFile, bytes]]) -> bytes:
    """Render labels.json with one label per line, so that diffs stay readable."""
    def line(value) -> str:
        return json.dumps(value, ensure_ascii=False)

    header = {"format_version": 1, "generator": "scripts/generate_corpus.py", "faker_version": faker.VERSION,
              "today": FIXED_TODAY.isoformat(), "minor_age_years": MINOR_AGE_YEARS}
    out = ["{"] + [f" {line(key)}: {line(value)}," for key, value in header.items()] + [' "files": [']
    for position, (f, _) in enumerate(corpus):
        meta = {"file": f.name, "kind": f.kind, "shape": f.shape, "locales": f.locales, "path": f.path,
                "content_type": f.content_type, "content_encoding": f.content_encoding}
        out.append("  {" + line(meta)[1:-1] + ",")
        for key, entries in (("expected", f.expected), ("decoys", f.decoys)):
            out.append(f'   {line(key)}: [')
            out += [f"    {line(entry)}," for entry in entries]
            if entries:
                out[-1] = out[-1][:-1]
            out.append("   ]" + ("," if key == "expected" else ""))
        out.append("  }" + ("," if position + 1 < len(corpus) else ""))
    out += [" ]", "}"]
    return ("\n".join(out) + "\n").encode()


def summarise(corpus: list[tuple[CorpusFile, bytes]], labels: bytes) -> None:
    """Print counts and sizes and enforce the corpus minimums."""
    categories = Counter(e["category"] for f, _ in corpus for e in f.expected)
    minors = sum(1 for f, _ in corpus for e in f.expected if e.get("minor"))
    decoys = Counter(e["kind"] for f, _ in corpus for e in f.decoys)
    total = len(labels) + sum(len(body) for _, body in corpus)
    print("category             positives")
    for category in CATEGORIES:
        print(f"{category:<20} {categories[category]:>9}")
    print(f"{'minor (DOB < 14 y)':<20} {minors:>9}")
    print("\ndecoy kind                positive files  negative files")
    for kind in sorted(decoys):
        in_positive = sum(1 for f, _ in corpus if f.kind == "positive" for e in f.decoys if e["kind"] == kind)
        print(f"{kind:<25} {in_positive:>14} {decoys[kind] - in_positive:>15}")
    print(f"\n{'file':<45} {'bytes':>8} {'labels':>7} {'decoys':>7}")
    for f, body in corpus:
        print(f"{f.name:<45} {len(body):>8} {len(f.expected):>7} {len(f.decoys):>7}")
    print(f"{'labels.json':<45} {len(labels):>8}")
    print(f"{'total':<45} {total:>8}")
    short = [c for c in CATEGORIES
             if categories[c] < (MIN_POSITIVES_RARE if c in RARE_CATEGORIES else MIN_POSITIVES)]
    if short or minors < MIN_MINORS or total > MAX_CORPUS_BYTES:
        raise SystemExit(f"corpus below its minimums: categories {short}, {minors} minors, {total} bytes; "
                         "change the record counts of the builders")


def write_corpus(output: Path, corpus: list[tuple[CorpusFile, bytes]], labels: bytes) -> None:
    for kind in ("positive", "negative"):
        shutil.rmtree(output / kind, ignore_errors=True)
        (output / kind).mkdir(parents=True)
    for f, body in corpus:
        (output / f.name).write_bytes(body)
    (output / "labels.json").write_bytes(labels)


def main() -> int:
    global SEED
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT,
                        help="directory for the corpus files and labels.json (default: %(default)s)")
    parser.add_argument("--seed", default=SEED,
                        help="seed of every random choice; another seed gives a held-out corpus "
                             "of the same shapes (default: %(default)s)")
    args = parser.parse_args()
    SEED = args.seed
    corpus = build_corpus()
    labels = render_labels(corpus)
    summarise(corpus, labels)
    write_corpus(args.output, corpus, labels)
    return 0


if __name__ == "__main__":
    sys.exit(main())
