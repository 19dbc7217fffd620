#!/usr/bin/env python3
"""Makes the compact South America context layers Pistas embeds from the shared data
folder's world files (see README.md for sources and licences). Run from this folder:

    python3 make.py ../../../shared/data/world

Writes, gzip-compressed (Pistas decompresses them once, on first use):
- admin1_south_america.geojson.gz: first-level boundaries (lines) and their label points
  for the countries of South America except Peru, whose departments Pistas draws from its
  own layer; features and coordinates unchanged.
- places_south_america.tsv.gz: name, lon, lat, population, country, admin1 (GeoNames
  cities1000), largest first.
- aerodromes_south_america.tsv.gz: ident, name, type, country, municipality, lon, lat and
  runways ("length_ft x width_ft surface", closed ones marked, joined by "; ") for every
  OurAirports aerodrome of South America.
"""
import gzip
import json
import sys
from pathlib import Path

SOUTH_AMERICA = {"AR", "BO", "BR", "CL", "CO", "EC", "GF", "GY", "PE", "PY", "SR", "UY", "VE", "FK"}


def clean(text):
    return " ".join(str(text or "").replace("\t", " ").split())


def write_gz(name, data):
    # mtime=0: the same input makes the same bytes.
    with open(name, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9, mtime=0) as f:
        f.write(data)


def main(world):
    world = Path(world)
    admin1 = json.loads((world / "admin1_lines_ne10m_geojsonplaces.geojson").read_text())
    kept = [
        f
        for f in admin1["features"]
        if f["properties"].get("country") in SOUTH_AMERICA - {"PE"}
    ]
    collection = {"type": "FeatureCollection", "features": kept}
    write_gz("admin1_south_america.geojson.gz", json.dumps(collection, ensure_ascii=False, separators=(",", ":")).encode())

    places = json.loads((world / "places_south_america_geonames_cities1000.geojson").read_text())
    rows = []
    for f in places["features"]:
        p = f["properties"]
        lon, lat = f["geometry"]["coordinates"][:2]
        rows.append((p.get("population") or 0, clean(p["name"]), lon, lat, clean(p.get("country")), clean(p.get("admin1"))))
    rows.sort(key=lambda r: (-r[0], r[1]))
    text = "".join(f"{n}\t{lon:.5f}\t{lat:.5f}\t{pop}\t{c}\t{a}\n" for pop, n, lon, lat, c, a in rows)
    write_gz("places_south_america.tsv.gz", text.encode())

    aerodromes = json.loads((world / "aerodromes_south_america_ourairports_20221011.geojson").read_text())
    lines = []
    for f in aerodromes["features"]:
        p = f["properties"]
        lon, lat = f["geometry"]["coordinates"][:2]
        runways = []
        for r in p.get("runways") or []:
            size = "x".join(str(v) for v in (r.get("length_ft"), r.get("width_ft")) if v)
            words = " ".join(w for w in (size and size + " ft", clean(r.get("surface")), "closed" if r.get("closed") else "") if w)
            if words:
                runways.append(words)
        cells = [p["ident"], p.get("name"), p.get("type"), p.get("country"), p.get("municipality")]
        lines.append("\t".join(clean(c) for c in cells) + f"\t{lon:.5f}\t{lat:.5f}\t" + clean("; ".join(runways)) + "\n")
    write_gz("aerodromes_south_america.tsv.gz", "".join(lines).encode())


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../../../shared/data/world")
