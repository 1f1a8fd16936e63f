"""Tonearm's REST API as the notebooks use it: authentication, cursor paging, and a catalog's results as a table.

Reads the API's base URL from TONEARM_API (e.g. http://localhost:8080) and an API key from TONEARM_KEY (the one
`./tonearm up` prints and keeps in .tonearm/api-key). Only documented endpoints are used, and nothing here costs
credits: it lists assets (GET /v1/assets), reads the results of analyses that already ran (GET /v1/jobs, whose
items carry each succeeded job's result) and searches (GET /v1/search). It never requests an analysis; run
`./tonearm ingest DIR --wait` (or POST /v1/bpm, /v1/key, /v1/lufs) for that.
"""
import os

import pandas as pd
import requests

# Job kinds whose results the catalog table reads, and the result fields it keeps per analyzer (model_name).
# key-bpm jobs carry both analyzers' envelopes under "models".
JOB_KINDS = ("bpm", "key", "lufs", "key-bpm")
FIELDS = {
    "bpm": {"tempo": "tempo", "confidence": "tempo_confidence"},
    "key": {"key": "key", "mode": "mode", "key_camelot": "key_camelot", "confidence": "key_confidence"},
    "loudness-ebur128": {"integrated_lufs": "integrated_lufs", "loudness_range": "loudness_range",
                         "true_peak_dbtp": "true_peak_dbtp", "sample_peak_dbfs": "sample_peak_dbfs"},
}
COLUMNS = ["asset_id", "filename", "duration"] + [c for f in FIELDS.values() for c in f.values()]


class ApiError(RuntimeError):
    """An answer other than 2xx, with the API's {"error": {"code", "message"}} when it sent one."""


class Tonearm:
    """A session on one API with one key."""

    def __init__(self, base_url=None, key=None, timeout=30):
        base_url = base_url or os.environ.get("TONEARM_API")
        key = key or os.environ.get("TONEARM_KEY")
        if not base_url or not key:
            raise RuntimeError("set TONEARM_API (e.g. http://localhost:8080) and TONEARM_KEY (an API key, e.g. "
                               "$(cat .tonearm/api-key)); see notebooks/README.md")
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.session = requests.Session()
        self.session.headers["Authorization"] = "Bearer " + key

    def get(self, path, **params):
        r = self.session.get(self.base_url + path, params=params, timeout=self.timeout)
        if not r.ok:
            try:
                error = r.json()["error"]
                detail = f"{error['code']}: {error['message']}"
            except (ValueError, KeyError, TypeError):
                detail = r.text[:200]
            raise ApiError(f"GET {path} answered {r.status_code}: {detail}")
        return r.json()

    def pages(self, path, **params):
        """Every item of a cursor-paged list (GET /v1/assets, /v1/jobs, /v1/search), following next_cursor."""
        while True:
            page = self.get(path, **params)
            yield from page["items"]
            if not page.get("next_cursor"):
                return
            params["cursor"] = page["next_cursor"]

    def assets(self, **filters):
        """The caller's assets, newest first (50 a request, the API's largest page)."""
        return list(self.pages("/v1/assets", page_limit=50, **filters))

    def latest_results(self):
        """{asset_id: {model_name: result fields}} from the newest succeeded job of each analyzer per asset.

        GET /v1/jobs lists 100 jobs a request with each succeeded job's result in it: three or four requests per
        100 assets, rather than one processing request (and its credits) per asset and analyzer."""
        results = {}
        for kind in JOB_KINDS:
            for job in self.pages("/v1/jobs", status="succeeded", kind=kind, limit=100):
                result = job.get("result")
                if not result or not job.get("asset_id"):
                    continue
                envelopes = ({e["model_name"]: e["results"] for e in result["models"].values()} if "models" in result
                             else {result["model_name"]: result})
                per_asset = results.setdefault(job["asset_id"], {})
                for model, fields in envelopes.items():
                    per_asset.setdefault(model, fields)  # newest first: the first seen is the latest
        return results

    def catalog(self):
        """One row per asset: file name, duration and the tempo, key and loudness results (NaN where missing)."""
        results = self.latest_results()
        rows = []
        for asset in self.assets():
            row = {"asset_id": asset["asset_id"], "filename": asset.get("filename"), "duration": asset.get("duration")}
            for model, fields in FIELDS.items():
                found = results.get(asset["asset_id"], {}).get(model, {})
                for field, column in fields.items():
                    row[column] = found.get(field)
            rows.append(row)
        return pd.DataFrame(rows, columns=COLUMNS)

    def search(self, **params):
        """One page of GET /v1/search (filters such as key, mode, tempo_min, tempo_max; or similar_to)."""
        return self.get("/v1/search", **params)

    def similar(self, asset_id, n=10):
        """The n assets nearest to asset_id by the search index's feature vector, nearest first, as a table."""
        items = self.search(similar_to=asset_id, page_limit=n)["items"]
        return pd.DataFrame(items, columns=["filename", "score", "tempo", "key", "mode", "key_camelot",
                                            "integrated_lufs", "true_peak_dbtp", "asset_id"])

    def find_asset(self, name_or_id):
        """An asset by id, or the newest whose file name contains name_or_id."""
        try:
            return self.get("/v1/assets/" + name_or_id)
        except ApiError:
            found = self.get("/v1/assets", filename=name_or_id, page_limit=1)["items"]
            if not found:
                raise LookupError(f"no asset with id or file name {name_or_id!r}") from None
            return found[0]


# The Camelot wheel (Mark Davis's notation for harmonic mixing): the number walks the circle of fifths, one step
# per hour (C major = 8B, G major = 9B, F major = 7B), A is minor and B is major, and a minor key sits on the same
# number as its relative major (A minor = 8A beside C major = 8B). Keys as Tonearm spells them (C C# D Eb E F F#
# G Ab A Bb B); other spellings go through ENHARMONIC first.
CAMELOT = {
    ("B", "major"): "1B", ("Ab", "minor"): "1A",
    ("F#", "major"): "2B", ("Eb", "minor"): "2A",
    ("C#", "major"): "3B", ("Bb", "minor"): "3A",
    ("Ab", "major"): "4B", ("F", "minor"): "4A",
    ("Eb", "major"): "5B", ("C", "minor"): "5A",
    ("Bb", "major"): "6B", ("G", "minor"): "6A",
    ("F", "major"): "7B", ("D", "minor"): "7A",
    ("C", "major"): "8B", ("A", "minor"): "8A",
    ("G", "major"): "9B", ("E", "minor"): "9A",
    ("D", "major"): "10B", ("B", "minor"): "10A",
    ("A", "major"): "11B", ("F#", "minor"): "11A",
    ("E", "major"): "12B", ("C#", "minor"): "12A",
}
ENHARMONIC = {"Db": "C#", "D#": "Eb", "Gb": "F#", "G#": "Ab", "A#": "Bb", "Cb": "B", "Fb": "E", "E#": "F", "B#": "C"}


def camelot(key, mode):
    """The Camelot code of a key ("A", "minor" -> "8A"), or None when either is missing or unknown."""
    if not isinstance(key, str) or not isinstance(mode, str):
        return None
    return CAMELOT.get((ENHARMONIC.get(key, key), mode.lower()))


def camelot_neighbours(code):
    """The codes a DJ mixes into from code: itself, one hour either way, and the relative key (same number)."""
    number, letter = int(code[:-1]), code[-1]
    other = "A" if letter == "B" else "B"
    return [code, f"{(number - 2) % 12 + 1}{letter}", f"{number % 12 + 1}{letter}", f"{number}{other}"]


def key_of(code):
    """(key, mode) of a Camelot code: the inverse of camelot()."""
    return next(k for k, c in CAMELOT.items() if c == code)


def show_everything():
    """pandas display options for tables read as text (nbconvert, terminals): no truncated rows or columns."""
    pd.set_option("display.max_rows", 500)
    pd.set_option("display.max_columns", 50)
    pd.set_option("display.width", 250)
    pd.set_option("display.precision", 2)
