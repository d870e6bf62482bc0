#!/usr/bin/env python3
"""Checks a running Samordna's OParl 1.1 API against the specification's JSON
schemas (shared/oparl-1.1/schema) with the `jsonschema` package.

Usage: check.py BASE_URL SCHEMA_DIR

From the System object it follows the body list and each of the body's object
lists through their `next` links, and checks that
  - every object (and every object embedded in one) validates against its type's
    schema, and every object type named in REQUIRED_TYPES occurs;
  - every object is reached exactly once, and `links`/`pagination` agree;
  - every reference to another OParl object resolves to an object reached, and
    fetching an object by its id gives the object of the list;
  - `web`, `accessUrl` and `downloadUrl` links answer 200;
  - every response allows any origin (CORS).
Prints a summary as JSON on the last line; exits non-zero on the first failure
with what failed and where.
"""
import json
import sys
import urllib.error
import urllib.request
from pathlib import Path

import jsonschema

REQUIRED_TYPES = ["System", "Body", "Organization", "Person", "Membership", "Meeting",
                  "AgendaItem", "Paper", "Consultation", "File", "Location"]
# Properties holding embedded objects, by the type of the embedding object.
EMBEDDED = {
    "Body": {"legislativeTerm": "LegislativeTerm", "location": "Location"},
    "Meeting": {"agendaItem": "AgendaItem", "location": "Location", "invitation": "File",
                "resultsProtocol": "File", "verbatimProtocol": "File", "auxiliaryFile": "File"},
    "AgendaItem": {"resolutionFile": "File", "auxiliaryFile": "File"},
    "Paper": {"mainFile": "File", "auxiliaryFile": "File", "consultation": "Consultation",
              "location": "Location"},
    "Person": {"membership": "Membership", "locationObject": "Location"},
    "Organization": {"location": "Location"},
}
LISTS = ["organization", "person", "membership", "meeting", "agendaItem", "paper",
         "consultation", "file", "locationList", "legislativeTermList"]


def fail(msg):
    print(f"FEL: {msg}", file=sys.stderr)
    sys.exit(1)


def get(url, want_json=True):
    try:
        with urllib.request.urlopen(url, timeout=60) as r:
            body = r.read()
            if want_json:
                if r.headers.get("Access-Control-Allow-Origin") != "*":
                    fail(f"{url}: no Access-Control-Allow-Origin: *")
                return json.loads(body)
            return r.status
    except urllib.error.HTTPError as e:
        fail(f"{url}: HTTP {e.code}: {e.read()[:300]!r}")


def main():
    base, schema_dir = sys.argv[1].rstrip("/"), Path(sys.argv[2])
    schemas = {p.stem: json.loads(p.read_text()) for p in schema_dir.glob("*.json")}
    checker = jsonschema.Draft4Validator.FORMAT_CHECKER
    if "date-time" not in checker.checkers:
        fail("jsonschema cannot check date-time here: install rfc3339-validator")
    validators = {k: jsonschema.Draft4Validator(v, format_checker=checker)
                  for k, v in schemas.items()}
    seen_types = set()
    validated = 0

    def type_of(obj, where):
        t = obj.get("type", "")
        prefix = "https://schema.oparl.org/1.1/"
        if not t.startswith(prefix) or t[len(prefix):] not in validators:
            fail(f"{where}: unknown type {t!r}")
        return t[len(prefix):]

    def validate(obj, where, expected=None):
        nonlocal validated
        t = type_of(obj, where)
        if expected and t != expected:
            fail(f"{where}: type {t}, expected {expected}")
        errors = sorted(validators[t].iter_errors(obj), key=str)
        if errors:
            e = errors[0]
            fail(f"{where} ({obj.get('id')}): {t} does not match its schema at "
                 f"{'/'.join(map(str, e.path))}: {e.message}")
        validated += 1
        seen_types.add(t)
        for prop, inner in EMBEDDED.get(t, {}).items():
            v = obj.get(prop)
            for i, x in enumerate(v if isinstance(v, list) else [v] if v else []):
                if not isinstance(x, dict):
                    fail(f"{where}.{prop}[{i}]: an embedded {inner} must be an object")
                validate(x, f"{where}.{prop}[{i}]", inner)
        return t

    def walk(url, where):
        """Every object of a list, following `next`; checks the paging."""
        out, pages, total = [], 0, None
        while url:
            page = get(url)
            pages += 1
            for k in ("data", "pagination", "links"):
                if k not in page:
                    fail(f"{url}: list without {k!r}")
            p = page["pagination"]
            total = p["totalElements"] if total is None else total
            if p["totalElements"] != total:
                fail(f"{url}: totalElements changed between pages")
            if p["currentPage"] != pages:
                fail(f"{url}: currentPage {p['currentPage']}, expected {pages}")
            out.extend(page["data"])
            url = page["links"].get("next")
            if pages > 10000:
                fail(f"{where}: more than 10000 pages")
        if len(out) != total:
            fail(f"{where}: {len(out)} objects reached, totalElements says {total}")
        return out, pages

    system = get(base + "/")
    validate(system, "System", "System")
    bodies, _ = walk(system["body"], "System.body")
    objects = {system["id"]: system}
    lists = {}
    page_count = 0
    for b in bodies:
        validate(b, "Body", "Body")
        if b["id"] in objects:
            fail(f"body {b['id']} reached twice")
        objects[b["id"]] = b
        for prop in LISTS:
            if prop not in b:
                continue
            lists[b[prop]] = prop
            items, pages = walk(b[prop], f"Body.{prop}")
            page_count += pages
            for i, o in enumerate(items):
                validate(o, f"{b[prop]}[{i}]")
                if o["id"] in objects:
                    fail(f"{o['id']} reached twice (again in {b[prop]})")
                objects[o["id"]] = o

    # References between objects resolve.
    root = base + "/"
    link_keys = {"web", "accessUrl", "downloadUrl"}
    outside = set()

    def refs(v, where):
        if isinstance(v, dict):
            for k, x in v.items():
                if k == "id":
                    continue
                if k in link_keys and isinstance(x, str):
                    outside.add(x)
                    continue
                refs(x, f"{where}.{k}")
        elif isinstance(v, list):
            for i, x in enumerate(v):
                refs(x, f"{where}[{i}]")
        elif isinstance(v, str) and v.startswith(root):
            target = v.split("?")[0]
            if target not in objects and target not in lists and v != system["body"]:
                fail(f"{where}: {v} is not an object or list of the API")

    for oid, o in objects.items():
        refs(o, oid)

    # An object fetched by its id is the object of its list (a sample of each type).
    by_type = {}
    for oid, o in objects.items():
        by_type.setdefault(o["type"], []).append(oid)
    fetched = 0
    for t, ids in by_type.items():
        for oid in ids[:15] + ids[-3:]:
            if get(oid) != objects[oid]:
                fail(f"{oid}: the object fetched by its id differs from its list's")
            fetched += 1
    for href in sorted(outside)[:400]:
        if get(href, want_json=False) != 200:
            fail(f"{href}: not 200")

    missing = [t for t in REQUIRED_TYPES if t not in seen_types]
    if missing:
        fail(f"no object of type {', '.join(missing)} reached")
    print(json.dumps({
        "objects": len(objects),
        "validated": validated,
        "types": sorted(seen_types),
        "list_pages": page_count,
        "fetched_by_id": fetched,
        "links_checked": min(len(outside), 400),
    }))


if __name__ == "__main__":
    main()
