#!/usr/bin/env python3
"""Writes data/vraem-sample.geojson: an ILLUSTRATIVE dataset for Pistas.

Every strip position, name, date and event here is INVENTED. The file follows the pattern
that reporting on the VRAEM describes (a two-phase police operation destroying 54 strips,
10 of them in the first phase in early September; strips rebuilt within days; some strips
rebuilt four times in one year), so that the app and its statistics have something
realistic to show. It is not a record of real strips. Run: python3 data/make_sample.py
"""
import json
import math
import random
from datetime import date, timedelta

rng = random.Random(2014)
NOTE = "Illustrative: invented location and history, not a real strip."
OP1 = "Illustrative airstrip operation, phase 1"
OP2 = "Illustrative airstrip operation, phase 2"
SOURCES = [
    {"title": "AP (illustrative citation)"},
    {"title": "IDL-Reporteros (illustrative citation)"},
    {"title": "Police bulletin (illustrative citation)"},
    "Imagery review (illustrative)",
]


def fuzz(d, month_only=False, approx=False):
    if month_only:
        return d.strftime("%Y-%m")
    return d.isoformat() + ("~" if approx else "")


def source():
    s = rng.choice(SOURCES)
    return dict(s) if isinstance(s, dict) else s


def event(eid, kind, when, confidence, **extra):
    e = {"id": eid, "type": kind, "date": when, "confidence": confidence,
         "sources": [source()]}
    e.update(extra)
    return e


def geometry(lon, lat, i):
    if i % 5 == 0:
        return {"type": "Point", "coordinates": [round(lon, 5), round(lat, 5)]}
    length = rng.uniform(550, 1250) / 111_000
    heading = rng.uniform(0, math.pi)
    dx = length * math.sin(heading) / 2 / math.cos(math.radians(lat))
    dy = length * math.cos(heading) / 2
    if i % 7 == 0:
        w = 0.0004
        ring = [[lon - dx - w, lat - dy], [lon + dx - w, lat + dy], [lon + dx + w, lat + dy],
                [lon - dx + w, lat - dy], [lon - dx - w, lat - dy]]
        return {"type": "Polygon", "coordinates": [[[round(x, 5), round(y, 5)] for x, y in ring]]}
    return {"type": "LineString", "coordinates": [[round(lon - dx, 5), round(lat - dy, 5)],
                                                  [round(lon + dx, 5), round(lat + dy, 5)]]}


features = []
phase1 = date(2014, 9, 2)
phase2 = date(2014, 10, 6)
for i in range(1, 61):
    # Along the Apurímac-Ene valley, roughly from south-east to north-west.
    t = rng.random()
    lon = -73.75 - 0.55 * t + rng.uniform(-0.18, 0.18)
    lat = -12.85 + 1.05 * t + rng.uniform(-0.12, 0.12)
    events = []
    n = 1
    first = date(2013, 1, 1) + timedelta(days=rng.randrange(0, 480))
    if rng.random() < 0.5:
        events.append(event(f"e{n}", "built", fuzz(first, month_only=True), "probable",
                            note="fresh clearing seen (illustrative)"))
    else:
        events.append(event(f"e{n}", "sighted", fuzz(first), "confirmed"))
    n += 1
    if i <= 54:
        if i <= 10:
            destroyed = phase1 + timedelta(days=rng.randrange(0, 5))
            op = OP1
        else:
            destroyed = phase2 + timedelta(days=rng.randrange(0, 50))
            op = OP2
        events.append(event(f"e{n}", "destroyed", fuzz(destroyed), "confirmed", operation=op))
        n += 1
        if i in (3, 17):
            # Rebuilt four times in one year.
            day = destroyed
            for cycle in range(4):
                day += timedelta(days=rng.randrange(3, 12))
                events.append(event(f"e{n}", "rebuilt", fuzz(day), "probable"))
                n += 1
                if cycle < 3:
                    day += timedelta(days=rng.randrange(40, 80))
                    events.append(event(f"e{n}", "destroyed", fuzz(day), "confirmed",
                                        operation="Illustrative follow-up destruction"))
                    n += 1
        elif rng.random() < 0.75:
            rebuilt = destroyed + timedelta(days=rng.randrange(1, 30))
            approx = rng.random() < 0.25
            events.append(event(f"e{n}", "rebuilt", fuzz(rebuilt, approx=approx),
                                "probable" if approx else "confirmed"))
            n += 1
            if rng.random() < 0.3:
                seen = rebuilt + timedelta(days=rng.randrange(20, 200))
                events.append(event(f"e{n}", "sighted", fuzz(seen), "unverified",
                                    note="aircraft reported (illustrative)"))
                n += 1
    else:
        events.append(event(f"e{n}", "reported", fuzz(date(2015, 2, 1) + timedelta(days=rng.randrange(0, 200)),
                                                       month_only=True), "unverified"))
    features.append({
        "type": "Feature",
        "id": f"sample-{i:03d}",
        "geometry": geometry(lon, lat, i),
        "properties": {
            "name": f"Pista ejemplo {i:02d}",
            "notes": NOTE,
            "events": events,
            "illustrative": True,
        },
    })

doc = {
    "type": "FeatureCollection",
    "description": (
        "ILLUSTRATIVE SAMPLE DATA for Pistas. Strip positions, names, dates, events and "
        "citations are INVENTED; they follow the pattern reporting describes (a two-phase "
        "operation destroying 54 strips, 10 in the first phase in early September, strips "
        "rebuilt within days, two strips rebuilt four times in a year) but are not real."
    ),
    "features": features,
}
with open("data/vraem-sample.geojson", "w", encoding="utf-8") as f:
    f.write('{"type":"FeatureCollection","description":' + json.dumps(doc["description"]) + ',"features":[\n')
    f.write(",\n".join(json.dumps(x, ensure_ascii=False) for x in features))
    f.write("\n]}\n")
