"""Keeps, in a pip-compile --generate-hashes requirements file, only the hashes of the files pip can
install on the runner the generated workflow uses: GitHub's ubuntu-latest (Linux x86_64, glibc
2.39) with CPython 3.12 from actions/setup-python. pip-compile lists every file PyPI has (every
platform), which made the workflow hundreds of lines long; pip needs only the hash of the file it
picks. A package without such a wheel keeps its sdist's hash. Reads PyPI's simple index (its JSON
form, PEP 691); rewrites the file in place. Usage: python runner-hashes.py REQUIREMENTS.txt
"""

import json
import re
import sys
import urllib.request

from pip._vendor.packaging.tags import compatible_tags, cpython_tags
from pip._vendor.packaging.utils import parse_wheel_filename

PYTHON = (3, 12)
PLATFORMS = (
    [f"manylinux_2_{minor}_x86_64" for minor in range(39, 4, -1)]
    + ["manylinux2014_x86_64", "manylinux2010_x86_64", "manylinux1_x86_64", "linux_x86_64"]
)
RUNNER = set(cpython_tags(PYTHON, platforms=PLATFORMS)) | set(
    compatible_tags(PYTHON, "cp312", platforms=PLATFORMS)
)


def files(name):
    """Every file PyPI has for the project: (file name, sha256)."""
    request = urllib.request.Request(
        f"https://pypi.org/simple/{name}/",
        headers={"Accept": "application/vnd.pypi.simple.v1+json"},
    )
    with urllib.request.urlopen(request, timeout=60) as answer:
        return [(f["filename"], f["hashes"].get("sha256", "")) for f in json.load(answer)["files"]]


def wanted(name, version, hashes):
    """Of `hashes` (the version's files), those of the runner's wheels, else of the sdist."""
    mine = [(n, h) for n, h in files(name) if h in hashes]
    wheels = {
        h
        for n, h in mine
        if n.endswith(".whl") and RUNNER & set(parse_wheel_filename(n)[3])
    }
    return wheels or {h for n, h in mine if not n.endswith(".whl")}


def main(path):
    text = open(path, encoding="utf-8").read()
    blocks = re.split(r"\n(?=\S)", text.strip("\n"))
    out = []
    for block in blocks:
        head = block.splitlines()[0]
        pin = re.match(r"([A-Za-z0-9._-]+)==([^ \\]+)", head)
        if not pin:
            out.append(block)
            continue
        lines = block.splitlines()
        hashes = [l for l in lines if "--hash=sha256:" in l]
        digests = {h.split("sha256:")[1].split()[0] for h in hashes}
        keep = wanted(pin.group(1), pin.group(2), digests)
        comments = [l for l in lines[1:] if "--hash=" not in l]
        chosen = [h.strip().rstrip("\\").strip() for h in hashes if h.split("sha256:")[1].split()[0] in keep]
        if not chosen:
            sys.exit(f"{pin.group(0)}: no file for the runner among the compiled hashes")
        body = [f"{pin.group(1)}=={pin.group(2)} \\"]
        body += [f"    {h} \\" for h in chosen[:-1]] + [f"    {chosen[-1]}"]
        out.append("\n".join(body + comments))
    open(path, "w", encoding="utf-8").write("\n".join(out) + "\n")


if __name__ == "__main__":
    main(sys.argv[1])
