#!/usr/bin/env python3
"""Generates Sources/SwitchboardPhoneNumbers/PhoneMetadata+Generated.swift from the metadata of the
Python `phonenumbers` package (Google's libphonenumber metadata, Apache-2.0).

Usage (with the pinned package from scripts/peers/oracles.sh):
  "${SWITCHBOARD_PEERS_DIR:-/tmp/switchboard-peers}"/venv-oracles/bin/python3 scripts/phone-metadata.py

Writes the Swift file next to the module (or to the path given as the only argument). It keeps only
what `phonenumbers.parse()` reads: for every region in SUPPORTED_REGIONS and every non-geographic
entity (+800, +808, ...) the country calling code, international_prefix, national_prefix_for_parsing,
national_prefix_transform_rule, and the general description's national_number_pattern,
possible_length and possible_length_local_only; plus the country calling code -> regions map with
the main region first. The data goes into two raw string literals, one line per entry, fields
separated by tabs ("-" for a field that is missing or empty), which the Swift side splits once at first use (a literal array of structs this
size would take the type checker minutes).
"""
import os
import re
import sys

import phonenumbers
from phonenumbers.phonemetadata import PhoneMetadata

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_OUT = os.path.join(HERE, "..", "Sources", "SwitchboardPhoneNumbers", "PhoneMetadata+Generated.swift")


def field(value, name, where):
    """A metadata string as one tab-separated field; None and "" both become "-" (parse treats them alike)."""
    if value is None or value == "":
        return "-"
    value = str(value)
    if value == "-":
        sys.exit("phone-metadata.py: %s of %s is \"-\", the table's mark for none" % (name, where))
    for bad in ("\t", "\n", "\r", '"""#', "\\#"):
        if bad in value:
            sys.exit("phone-metadata.py: %s of %s contains %r, which the table format cannot hold" % (name, where, bad))
    return value


def lengths(values, where):
    values = list(values)
    if any(v < 0 for v in values):
        sys.exit("phone-metadata.py: %s has a negative possible length" % where)
    return ",".join(str(v) for v in values) or "-"


def row(key, metadata):
    where = "region %s" % key
    general = metadata.general_desc
    if not general.national_number_pattern:
        sys.exit("phone-metadata.py: %s has no general national_number_pattern" % where)
    if not general.possible_length:
        sys.exit("phone-metadata.py: %s has no general possible_length" % where)
    if metadata.international_prefix == "":
        sys.exit("phone-metadata.py: %s has an empty (not missing) international_prefix" % where)
    rule = metadata.national_prefix_transform_rule
    if rule and not re.fullmatch(r"(?:\d|\\\d)*", rule):
        sys.exit("phone-metadata.py: %s has a transform rule %r beyond digits and \\N references" % (where, rule))
    return "\t".join([
        key,
        str(metadata.country_code),
        field(metadata.international_prefix, "international_prefix", where),
        field(metadata.national_prefix_for_parsing, "national_prefix_for_parsing", where),
        field(rule, "national_prefix_transform_rule", where),
        field(general.national_number_pattern, "national_number_pattern", where),
        lengths(general.possible_length, where),
        lengths(general.possible_length_local_only, where),
    ])


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_OUT
    rows = []
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        rows.append(row(region, PhoneMetadata.metadata_for_region(region)))
    for code in sorted(phonenumbers.COUNTRY_CODES_FOR_NON_GEO_REGIONS):
        # Non-geographic entities are keyed "+<code>": they share the region code "001".
        rows.append(row("+%d" % code, PhoneMetadata.metadata_for_nongeo_region(code)))
    codes = []
    for code in sorted(phonenumbers.COUNTRY_CODE_TO_REGION_CODE):
        regions = phonenumbers.COUNTRY_CODE_TO_REGION_CODE[code]
        codes.append("%d\t%s" % (code, ",".join(regions)))

    version = phonenumbers.__version__
    text = []
    text.append("// GENERATED FILE: do not edit. Regenerate with")
    text.append("//   \"${SWITCHBOARD_PEERS_DIR:-/tmp/switchboard-peers}\"/venv-oracles/bin/python3 scripts/phone-metadata.py")
    text.append("// from the Python package phonenumbers %s (Google libphonenumber metadata, Apache-2.0)." % version)
    text.append("// Fields of `regionTable`, tab-separated, one line per region (\"+NNN\" for a non-geographic")
    text.append("// entity): key, country calling code, international_prefix, national_prefix_for_parsing,")
    text.append("// national_prefix_transform_rule, general national_number_pattern, possible lengths,")
    text.append("// local-only possible lengths; \"-\" for none. `countryCodeTable`: code, regions (main region first).")
    text.append("// swift-format-ignore-file")
    text.append("")
    text.append("enum GeneratedPhoneMetadata {")
    text.append("    /// The version of the Python `phonenumbers` package this was generated from.")
    text.append("    static let version = \"%s\"" % version)
    text.append("")
    text.append("    static let regionTable = #\"\"\"")
    text.extend(rows)
    text.append("\"\"\"#")
    text.append("")
    text.append("    static let countryCodeTable = #\"\"\"")
    text.extend(codes)
    text.append("\"\"\"#")
    text.append("}")
    text.append("")
    with open(out, "w", encoding="utf-8") as handle:
        handle.write("\n".join(text))
    print("phone-metadata.py: wrote %d regions/entities and %d country codes (phonenumbers %s) to %s"
          % (len(rows), len(codes), version, os.path.relpath(out)), file=sys.stderr)


if __name__ == "__main__":
    main()
