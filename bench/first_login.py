"""Time a first login as a browser does it: the login page and its assets, the POST, then the
web client (/odoo) and every script and stylesheet it links.

Usage (against a server started by ``setup/run``, before anyone logged in)::

    .venv/bin/python bench/first_login.py --port 8069

``setup/run`` builds the asset bundles before it prints the logins, so this measures what the
first user waits. To see the cold case, stop the server, delete the bundles
(``DELETE FROM ir_attachment WHERE url LIKE '/web/assets/%'``) and start Odoo without
``setup/run``'s warm-up (plain ``odoo-bin -c .local/odoo.conf``). It prints wall times.
"""

import argparse
import re
import time

import requests


def fetch_assets(session, base, html):
    urls = re.findall(r'(?:src|href)="(/web/assets/[^"]+)"', html)
    for url in urls:
        session.get(base + url, timeout=600).raise_for_status()
    return len(urls)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8069)
    parser.add_argument("--login", default="admin")
    parser.add_argument("--password", default="admin")
    args = parser.parse_args()
    base = f"http://127.0.0.1:{args.port}"
    session = requests.Session()

    start = time.monotonic()
    page = session.get(base + "/web/login", timeout=600).text
    login_assets = fetch_assets(session, base, page)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    login_done = time.monotonic()
    session.post(
        base + "/web/login",
        data={
            "login": args.login,
            "password": args.password,
            "csrf_token": token,
            "redirect": "/odoo",
        },
        timeout=600,
    ).raise_for_status()
    html = session.get(base + "/odoo", timeout=600).text
    if "session_info" not in html:
        raise SystemExit("the login failed: no web client in the answer")
    client_assets = fetch_assets(session, base, html)
    end = time.monotonic()
    print(
        f"login page + {login_assets} assets: {login_done - start:.1f} s; "
        f"web client + {client_assets} assets: {end - login_done:.1f} s; "
        f"first login in all: {end - start:.1f} s"
    )


if __name__ == "__main__":
    main()
