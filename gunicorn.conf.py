"""gunicorn's settings for the portal.

gunicorn reads this file from the folder it starts in: `make run`, the README's command and
the benchmarks all start it in the project's folder. Elsewhere, pass `-c` with this file.

The app is made once, in the master, and warmed there before the workers are forked
(portal/core/warm.py): every worker starts ready, instead of each making the app (about
1.7 s of CPU) and compiling templates on its first pages while people wait (issue 18).

To serve new code, restart gunicorn (`systemctl restart`, or stop and start): with the app
made in the master, a HUP starts new workers from the old code.
"""

preload_app = True


def when_ready(server):
    # After the preload, before the first worker is forked. Only the portal is warmed:
    # another app served from here (benchmarks/bare_app.py) is served as it is.
    app = server.app.wsgi()
    if getattr(app, "import_name", None) != "portal":
        return
    from portal.core.warm import warm_up

    made = warm_up(app)
    server.log.info("portal warmed before forking: %(templates)d templates, "
                    "%(languages)d languages", made)
