#!/usr/bin/env python3
"""Reference E.164 normalisation by Google's libphonenumber (the Python `phonenumbers` package).

Usage (with the pinned package from scripts/peers/oracles.sh):
  "${SWITCHBOARD_PEERS_DIR:-/tmp/switchboard-peers}"/venv-oracles/bin/python3 scripts/phone-oracle.py [--random N]

--random N appends N random cases (kind "random": example numbers with random edits, random strings of
digits, separators, letters, extension labels and RFC 3966 parts), also seeded; the oracle test passes
it from SWITCHBOARD_PHONE_ORACLE_RANDOM for a deeper run.

Generates a fixed test set (seeded, so every run prints the same cases) and prints, one JSON object
per line:
  first line  {"version": phonenumbers.__version__}
  then        {"raw": str, "region": "FR"|null, "e164": "+33..."|null,
               "error": "NOT_A_NUMBER"|"INVALID_COUNTRY_CODE"|"TOO_SHORT_NSN"|
                        "TOO_SHORT_AFTER_IDD"|"TOO_LONG"|null,
               "kind": str}
where e164/error come from phonenumbers.parse(raw, region) and format_number(..., E164), and
"kind" names the class of input (for reading disagreements). SwitchboardPhoneNumbers' oracle test
parses every case and compares.

The set: for every supported region, example numbers of several types (fixed line, mobile and one
more type) written as E164, INTERNATIONAL, NATIONAL and RFC3966, parsed with the own region, a
foreign region and no region; the IDD form as dialled from a foreign region (011 from the US, 00,
0011 from Australia, ...); national numbers with and without the trunk prefix; separators (spaces,
dashes, dots, slashes, parentheses, "(0)", non-breaking and full-width spaces), full-width and
Arabic-Indic digits; mutated numbers (digits added or removed); the non-geographic entities
(+800 ...); the known traps of Brazil, Mexico and Argentina; extensions; and junk (letters, empty,
only "+", over-long input). Not included: numbers embedded in longer prose (libphonenumber's
parse() is not a finder) and invalid-but-harmless Unicode oddities no channel sends.
"""
import json
import random
import sys

import phonenumbers
from phonenumbers import PhoneNumberFormat as PNF
from phonenumbers import PhoneNumberType as PNT

SEED = 20240611
ERRORS = {
    phonenumbers.NumberParseException.INVALID_COUNTRY_CODE: "INVALID_COUNTRY_CODE",
    phonenumbers.NumberParseException.NOT_A_NUMBER: "NOT_A_NUMBER",
    phonenumbers.NumberParseException.TOO_SHORT_AFTER_IDD: "TOO_SHORT_AFTER_IDD",
    phonenumbers.NumberParseException.TOO_SHORT_NSN: "TOO_SHORT_NSN",
    phonenumbers.NumberParseException.TOO_LONG: "TOO_LONG",
}
OTHER_TYPES = [PNT.TOLL_FREE, PNT.PREMIUM_RATE, PNT.SHARED_COST, PNT.VOIP, PNT.PERSONAL_NUMBER,
               PNT.PAGER, PNT.UAN, PNT.VOICEMAIL]
FULL_WIDTH = {ord(d): chr(0xFF10 + int(d)) for d in "0123456789"}
ARABIC_INDIC = {ord(d): chr(0x0660 + int(d)) for d in "0123456789"}
NBSP = "\u00a0"


def oracle(raw, region):
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException as error:
        return None, ERRORS[error.error_type]
    return phonenumbers.format_number(number, PNF.E164), None


class Cases:
    def __init__(self):
        self.seen = set()
        self.cases = []

    def add(self, raw, region, kind):
        key = (raw, region)
        if key in self.seen:
            return
        self.seen.add(key)
        e164, error = oracle(raw, region)
        self.cases.append({"raw": raw, "region": region, "e164": e164, "error": error, "kind": kind})


def digits_of(text):
    return "".join(c for c in text if c.isdigit())


def separator_variant(rng, national, nsn):
    """The national form with other separators: dots, dashes, slashes, nbsp, none, grouped in pairs."""
    choice = rng.randrange(6)
    if choice == 0:
        return national.replace(" ", "."), "national-dots"
    if choice == 1:
        return national.replace(" ", "-"), "national-dashes"
    if choice == 2:
        return national.replace(" ", NBSP), "national-nbsp"
    if choice == 3:
        return digits_of(national), "national-digits"
    if choice == 4:
        return national.replace(" ", " / ", 1), "national-slash"
    pairs = " ".join(nsn[i:i + 2] for i in range(0, len(nsn), 2))
    return pairs, "nsn-pairs"


def mutate(rng, text):
    """Adds or removes digits so that the length goes wrong."""
    positions = [i for i, c in enumerate(text) if c.isdigit()]
    choice = rng.randrange(4)
    if choice == 0:  # one digit more
        return text + str(rng.randrange(10)), "mutated-plus1"
    if choice == 1:  # four digits more
        return text + "".join(str(rng.randrange(10)) for _ in range(4)), "mutated-plus4"
    if choice == 2 and len(positions) > 1:  # one digit less
        i = positions[-1]
        return text[:i] + text[i + 1:], "mutated-minus1"
    keep = positions[:max(1, len(positions) - 4)]  # four digits less (or all but one)
    cut = keep[-1] + 1
    return text[:cut], "mutated-minus4"


def region_cases(cases, rng, region, regions):
    foreign = [r for r in regions if r != region]
    types = [PNT.FIXED_LINE, PNT.MOBILE]
    others = [t for t in OTHER_TYPES if phonenumbers.example_number_for_type(region, t) is not None]
    if others and rng.random() < 0.9:  # one more type in most regions (keeps the set near 4,000)
        types.append(rng.choice(others))
    examples = []
    for numtype in types:
        number = phonenumbers.example_number_for_type(region, numtype)
        if number is not None and digits_of(phonenumbers.format_number(number, PNF.E164)) not in \
                [digits_of(phonenumbers.format_number(n, PNF.E164)) for _, n in examples]:
            examples.append((PNT.to_string(numtype).lower(), number))
    if not examples:
        number = phonenumbers.example_number(region)
        if number is not None:
            examples.append(("general", number))

    for type_name, number in examples:
        e164 = phonenumbers.format_number(number, PNF.E164)
        international = phonenumbers.format_number(number, PNF.INTERNATIONAL)
        national = phonenumbers.format_number(number, PNF.NATIONAL)
        rfc3966 = phonenumbers.format_number(number, PNF.RFC3966)
        nsn = phonenumbers.national_significant_number(number)
        other = rng.choice(foreign)
        cases.add(e164, None, "e164-noregion-" + type_name)
        cases.add(international, other, "international-foreign-" + type_name)
        cases.add(national, region, "national-own-" + type_name)
        cases.add(rfc3966, rng.choice([None, region, other]), "rfc3966-" + type_name)
        # One of eleven extra forms per example, chosen by the seeded generator.
        for extra in rng.sample(range(11), 1):
            if extra == 0:
                cases.add(international, None, "international-noregion")
            elif extra == 1:
                cases.add(e164[1:], region, "e164-without-plus-own")
            elif extra == 2:
                cases.add(national, other, "national-foreign")
            elif extra == 3:
                raw, kind = separator_variant(rng, national, nsn)
                cases.add(raw, region, kind)
            elif extra == 4:
                cases.add(nsn, region, "nsn-own")
            elif extra == 5:
                cases.add(national.translate(FULL_WIDTH), region, "national-fullwidth")
            elif extra == 6:
                cases.add(international.translate(ARABIC_INDIC), rng.choice([None, region]), "international-arabic-indic")
            elif extra == 7:
                raw, kind = mutate(rng, international)
                cases.add(raw, rng.choice([None, region]), kind)
            elif extra == 8:
                raw, kind = mutate(rng, national)
                cases.add(raw, region, kind)
            elif extra == 9:
                cases.add(national, None, "national-noregion")
            else:
                cases.add("00" + e164[1:], region, "00-own")

    # International forms as people and systems write them: the IDD form and one of the others.
    type_name, number = examples[0]
    international = phonenumbers.format_number(number, PNF.INTERNATIONAL)
    national = phonenumbers.format_number(number, PNF.NATIONAL)
    code = number.country_code
    dialling_from = rng.choice(foreign)
    idd = phonenumbers.format_out_of_country_calling_number(number, dialling_from)
    if idd.startswith("+"):
        idd = "00 " + idd[1:]
    cases.add(idd, dialling_from, "idd-from-foreign")
    prefix = phonenumbers.PhoneMetadata.metadata_for_region(region).national_prefix
    rest = international[len("+%d " % code):]
    grouped = international.split(" ", 1)
    for extra in rng.sample(range(7), 1):
        if extra == 0:
            cases.add("011 " + international[1:], "US", "idd-011-from-US")
        elif extra == 1 and prefix and national.startswith(prefix):
            cases.add("+%d (%s)%s" % (code, prefix, rest), rng.choice([None, region]), "international-(0)")
        elif extra == 2 and prefix and national.startswith(prefix):
            cases.add("+%d %s%s" % (code, prefix, rest), None, "international-with-trunk-prefix")
        elif extra == 3 and len(grouped) == 2:
            cases.add("(%s) %s" % (grouped[0], grouped[1].replace(" ", "-")), None,
                      "international-parenthesised-code")
        elif extra == 4:
            cases.add(international.replace(" ", "\u3000").translate(FULL_WIDTH).replace("+", "\uff0b"), None,
                      "international-fullwidth")
        elif extra == 5:
            cases.add("Tel: " + international, None, "international-labelled")
        else:
            cases.add(" " + international + " .", None, "international-padded")


def non_geographic_cases(cases, rng, regions):
    for code in sorted(phonenumbers.COUNTRY_CODES_FOR_NON_GEO_REGIONS):
        number = phonenumbers.example_number_for_non_geo_entity(code)
        if number is None:
            continue
        cases.add(phonenumbers.format_number(number, PNF.E164), None, "nongeo-e164")
        cases.add(phonenumbers.format_number(number, PNF.INTERNATIONAL), rng.choice(regions), "nongeo-international")
        cases.add("00" + phonenumbers.format_number(number, PNF.E164)[1:], "FR", "nongeo-idd")
        cases.add(phonenumbers.format_number(number, PNF.RFC3966), None, "nongeo-rfc3966")


TRAPS = [
    # Brazil: old 8-digit mobiles, the ninth digit, carrier selection codes.
    ("+55 11 8765-4321", None), ("+55 11 98765-4321", None), ("(11) 98765-4321", "BR"),
    ("(11) 8765-4321", "BR"), ("011 98765-4321", "BR"), ("0 21 11 98765 4321", "BR"),
    ("0 15 11 98765 4321", "BR"), ("0xx11 98765-4321", "BR"), ("0xx21 11 98765 4321", "BR"),
    ("+55 (11) 3456-7890", None), ("(11) 3456-7890", "BR"), ("11987654321", "BR"), ("5511987654321", "BR"),
    ("+55 21 7654-3210", None), ("+55 61 9876-5432", None), ("0800 123 4567", "BR"), ("4004-1234", "BR"),
    ("90 21 11 98765 4321", "BR"), ("+55 0 11 98765 4321", None),
    # Mexico: the old mobile "1", the abolished 044/045/01 prefixes.
    ("+52 1 55 1234 5678", None), ("+52 55 1234 5678", None), ("+521 55 1234 5678", None),
    ("044 55 1234 5678", "MX"), ("045 55 1234 5678", "MX"), ("01 55 1234 5678", "MX"),
    ("55 1234 5678", "MX"), ("1 55 1234 5678", "MX"), ("5215512345678", "MX"), ("525512345678", "MX"),
    ("00 52 1 55 1234 5678", "FR"), ("+52 1 33 1234 5678", None), ("+52 (55) 1234-5678", None),
    ("01 800 123 4567", "MX"), ("+52 800 123 4567", None),
    # Argentina: the mobile 9, the national 15, trunk prefix 0.
    ("+54 9 11 1234-5678", None), ("+54 11 1234 5678", None), ("011 15-1234-5678", "AR"),
    ("11 15-1234-5678", "AR"), ("(011) 15 1234-5678", "AR"), ("0 11 1234-5678", "AR"), ("11 1234-5678", "AR"),
    ("+54 11 15 1234 5678", None), ("0351 15 123-4567", "AR"), ("+54 9 351 123 4567", None),
    ("+54 351 123 4567", None), ("0800 123 4567", "AR"), ("5491112345678", "AR"), ("541112345678", "AR"),
    ("15-1234-5678", "AR"), ("00 54 9 11 1234 5678", "ES"),
    # Italy and other leading zeros, NANPA, Russia's 8, the UK's (0).
    ("+39 06 1234 5678", None), ("06 1234 5678", "IT"), ("+39 312 345 6789", None), ("+44 (0)20 7946 0018", None),
    ("020 7946 0018", "GB"), ("07700 900123", "GB"), ("+1 (650) 253-0000", None), ("1-650-253-0000", "US"),
    ("650.253.0000", "US"), ("253-0000", "US"), ("(416) 555-0123", "CA"), ("8 (495) 123-45-67", "RU"),
    ("8 10 33 1 23 45 67 89", "RU"), ("+7 495 123-45-67", None), ("0033 1 23 45 67 89", "DE"),
    ("+33 6 12 34 56 78", None), ("06 12 34 56 78", "FR"), ("0612345678", "FR"),
]

JUNK = [
    ("", None), ("", "FR"), ("+", None), ("+", "US"), ("++", None), ("+ ", "GB"), ("abc", None), ("abc", "US"),
    ("hello world", "FR"), ("N/A", "DE"), ("none", None), ("-", "FR"), ("call me", "US"), ("1", "US"),
    ("12", "US"), ("12", None), ("+1", None), ("+12", None), ("+123", None), ("+1 2", None), ("+0 123 456 789", None),
    ("+999 123 456 789", None), ("+210 123 4567", None), ("+1 800 FLOWERS", None), ("1-800-FLOWERS", "US"),
    ("0800 REVERSE", "GB"), ("tel:", None), ("tel:+", None), ("0", "FR"), ("+33", None), ("+33 1", None),
    ("+33 1 2", "FR"), ("+44 (0)", None), ("123abc456def", "US"), ("+-+-", None), ("((()))", "US"),
    ("+33 1 23 45 67 89 12 34 56 78 90", None), ("1234567890123456789", "US"), ("+1 " + "2" * 20, None),
    ("+44 " + "1" * 300, None), ("١٢٣٤٥٦٧٨٩٠", "EG"), ("+٢٠ ١٠ ١٢٣٤ ٥٦٧٨", None), ("۰۹۱۲ ۳۴۵ ۶۷۸۹", "IR"),
    ("०९८७६ ५४३२१", "IN"), ("+33 1 23 45 67 89 / +33 6 12 34 56 78", None), ("(530) 583-6985 x302/x2303", "US"),
    ("+1 650 253 0000 ext. 12", None), ("+1-650-253-0000 x12", None), ("+1 650 253 0000;ext=12", None),
    ("tel:+1-650-253-0000;ext=12", None), ("+44 20 7946 0018 #123", None), ("+49 30 1234567-89", None),
    ("tel:+33-1-23-45-67-89", None), ("tel:01-23-45-67-89;phone-context=+33", None),
    ("tel:0123456789;phone-context=example.com", "FR"), ("tel:0123456789;phone-context=", "FR"),
    ("tel:0123456789;phone-context=+", "FR"), ("tel:+1-650-253-0000;isub=12345", None),
    ("+33 1 23 45 67 89\n", None), ("\t+33 1 23 45 67 89", None), ("+33 1 23 45 67 89 ☎", None),
    ("📞 +33 1 23 45 67 89", None), ("+33-1-23-45-67-89", "ZZ"), ("01 23 45 67 89", "ZZ"), ("01 23 45 67 89", "XX"),
    ("01 23 45 67 89", None), ("+33 1 23 45 67 89", "001"), ("+ 33 1 23 45 67 89", None), ("+ +33 1 23 45 67 89", None),
    ("++33 1 23 45 67 89", None), ("+0033 1 23 45 67 89", None), ("+011 44 20 7946 0018", "US"), ("+00", "FR"),
    ("00", "FR"), ("000", "FR"), ("00 33", "FR"), ("011 1", "US"), ("+800 1234 5678", None), ("+888 123 456 789 01", None),
]


# Region codes in lower case: libphonenumber checks the default region case-sensitively (a national
# number with "fr" is INVALID_COUNTRY_CODE), while PhoneNumber takes "fr" as "FR" by its API
# contract. The first case is a listed disagreement; the second agrees.
LOWERCASE_REGION = [("01 23 45 67 89", "fr"), ("+33 1 23 45 67 89", "fr")]


RANDOM_ATOMS = (list("0123456789") * 6 + list("+ -.()/") * 2 + [
    "+", "\uff0b", "\u00a0", "\u3000", "x", "X", "#", "*", ";", ",", "~", "\u2013", "\uff10", "\u0665", "\u06f5",
    "\u0967", "a", "B", "z", "ext.", " ext ", ";ext=", "tel:", ";phone-context=", ";isub=", "(0)", "00", "011", "0",
    "1", "\n", "\t", "_", "\u00df", "\u0131", "\u00e9", "\U0001D7CF", "\u00b2", "\u2460", "[", "]", "\\", "/x",
    "int", "anexo", ",,", "\u0434\u043e\u0431", "\uff45\uff58\uff54\uff4e", "\uff49\uff4e\uff54", "extensi\u00f3n",
    "extensio\u0301n", "EXT", "\u017f", "\u212a", "\u0130", "\ufb00", "\u2060", "\u200b", "\u00ad", "\u0301",
    "\U0001F4DE", "\u2212", "\u30fc", "\uff08", "\uff09", "\uff3b", "\u2053", "\u223c", "\uff5e", "\uff03",
    "Tel:", "example.com", "-a.com", "+33", "1.com", "..", "\u0660", "\u06f0", "\u09e6", "\r"])
PHONE_CONTEXTS = ["+33", "+1-650", "+", "", "example.com", "a-b.c", "-a.com", "1.com", "com.", "a..b", "+(44)",
                  "+4.4", "x", "ex-ample.c0m", "ex--a.b9", "+\u0663\u0663"]


def random_cases(cases, count, regions):
    """Seeded random inputs: example numbers with up to three random edits, random strings, tel: URIs."""
    rng = random.Random(SEED + 1)
    added = 0
    while added < count:
        region = rng.choice([None, None, "ZZ", "001"] + regions)
        mode = rng.randrange(5)
        if mode == 0:
            raw = "".join(rng.choice(RANDOM_ATOMS) for _ in range(rng.randrange(0, 25)))
        elif mode == 1:
            body = "".join(rng.choice(RANDOM_ATOMS[:70]) for _ in range(rng.randrange(0, 14)))
            raw = (rng.choice(["tel:", "", "TEL:", "x tel:"]) + body + ";phone-context=" + rng.choice(PHONE_CONTEXTS)
                   + rng.choice(["", ";isub=12", ";ext=5", ";foo=bar"]))
        else:
            own = rng.choice(regions)
            number = phonenumbers.example_number_for_type(own, rng.randrange(11)) or phonenumbers.example_number(own)
            if number is None:
                continue
            text = list(phonenumbers.format_number(number, rng.choice([PNF.E164, PNF.INTERNATIONAL, PNF.NATIONAL,
                                                                       PNF.RFC3966])))
            if rng.random() < 0.3:
                region = own
            for _ in range(rng.randrange(0, 4)):
                operation, position = rng.randrange(3), rng.randrange(len(text) + 1)
                if operation == 0:
                    text.insert(position, rng.choice(RANDOM_ATOMS))
                elif text and position < len(text):
                    if operation == 1:
                        del text[position]
                    else:
                        text[position] = rng.choice(RANDOM_ATOMS)
            raw = "".join(text)
        before = len(cases.cases)
        cases.add(raw, region, "random")
        added += len(cases.cases) - before


def main():
    random_count = 0
    if len(sys.argv) == 3 and sys.argv[1] == "--random" and sys.argv[2].isdigit():
        random_count = int(sys.argv[2])
    elif len(sys.argv) != 1:
        sys.exit("usage: phone-oracle.py [--random N]")
    rng = random.Random(SEED)
    cases = Cases()
    regions = sorted(phonenumbers.SUPPORTED_REGIONS)
    for region in regions:
        region_cases(cases, rng, region, regions)
    non_geographic_cases(cases, rng, regions)
    for raw, region in TRAPS:
        cases.add(raw, region, "trap")
    for raw, region in JUNK:
        cases.add(raw, region, "junk")
    for raw, region in LOWERCASE_REGION:
        cases.add(raw, region, "lowercase-region")
    random_cases(cases, random_count, regions)
    out = sys.stdout
    out.write(json.dumps({"version": phonenumbers.__version__}) + "\n")
    for case in cases.cases:
        out.write(json.dumps(case, ensure_ascii=True) + "\n")


if __name__ == "__main__":
    main()
