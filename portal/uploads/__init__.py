"""Files people upload: pictures for content items (and the code that checks them).

`images.process_picture` checks and re-encodes; `store` keeps the results under
`<instance>/uploads/`; `routes` serves them.
"""

from flask import Blueprint

bp = Blueprint("uploads", __name__)

from portal.uploads import routes  # noqa: E402,F401
