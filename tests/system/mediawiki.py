"""A real MediaWiki for the publisher's tests: Debian's 1.39 on SQLite, served by `php -S`.

Built as ../shared/reference/wiki.md describes: a folder of symlinks over /usr/share/mediawiki
(all but `images` and `LocalSettings.php`), installed with maintenance/install.php on the port
it will be served from ($wgServer is fixed at install), a bot with a bot password, then served
by PHP's built-in server in its own process group (its workers outlive their parent otherwise).
"""

import os
import re
import signal
import subprocess
import time
from pathlib import Path

import requests

MEDIAWIKI = Path("/usr/share/mediawiki")
PHP = "/usr/bin/php"
ADMIN_PASSWORD = "framings-admin-password-1"
BOT = "FramingsBot"
PERSON = "Editor"
GRANTS = "basic,highvolume,editpage,createeditmovepage,uploadfile,uploadeditmovefile,editmycssjs"
SETTINGS = """
$wgEnableUploads = true;
$wgFileExtensions[] = 'svg';
$wgUseImageMagick = false;
$wgSVGConverter = 'rsvg';
$wgEnableBotPasswords = true;
$wgJobRunRate = 1;
$wgShowExceptionDetails = true;
$wgRateLimits = [];
"""


def available() -> bool:
    return (MEDIAWIKI / "maintenance" / "install.php").exists() and Path(PHP).exists()


class MediaWiki:
    """One wiki in `root`, served on `port`; `api` is its api.php, `bot` its bot's login."""

    def __init__(self, root: Path, port: int):
        self.root, self.port = root, port
        self.site = root / "w"
        self.data = root / "data"
        self.server = f"http://127.0.0.1:{port}"
        self.api = f"{self.server}/api.php"
        self.process: subprocess.Popen | None = None
        self.env = {
            **os.environ,
            "MW_INSTALL_PATH": str(self.site),
            "MW_CONFIG_FILE": str(self.site / "LocalSettings.php"),
        }

    def php(self, script: str, *args: str) -> str:
        done = subprocess.run(
            [PHP, str(self.site / "maintenance" / script), *args],
            cwd=self.site,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if done.returncode != 0:
            raise RuntimeError(f"{script} failed: {done.stdout}\n{done.stderr}")
        return done.stdout

    def install(self) -> None:
        self.site.mkdir(parents=True)
        self.data.mkdir()
        (self.site / "images").mkdir()
        for entry in MEDIAWIKI.iterdir():
            if entry.name not in ("images", "LocalSettings.php"):
                (self.site / entry.name).symlink_to(entry)
        self.php(
            "install.php",
            "--dbtype=sqlite",
            f"--dbpath={self.data}",
            "--dbname=wiki",
            f"--server={self.server}",
            "--scriptpath=",
            "--lang=en",
            f"--pass={ADMIN_PASSWORD}",
            f"--confpath={self.site}",
            "--extensions=Cite,ParserFunctions",
            "--skins=Vector",
            "Framings test wiki",
            "Admin",
        )
        with open(self.site / "LocalSettings.php", "a") as settings:
            settings.write(SETTINGS)

    def add_bot(self, name: str = BOT) -> tuple[str, str]:
        """A bot account and a bot password for it: (login name, password)."""
        self.php("createAndPromote.php", "--bot", name, ADMIN_PASSWORD + name)
        out = self.php("createBotPassword.php", "--appid=ci", f"--grants={GRANTS}", name)
        return f"{name}@ci", re.search(r"[0-9a-w]{32,}", out).group(0)

    def add_person(self, name: str = PERSON) -> tuple[str, str]:
        """An ordinary (not bot) account: (name, password) for a clientlogin."""
        password = ADMIN_PASSWORD + name
        self.php("createAndPromote.php", name, password)
        return name, password

    def start(self) -> None:
        env = {**self.env, "PHP_CLI_SERVER_WORKERS": "4"}
        self.process = subprocess.Popen(
            [PHP, "-S", f"127.0.0.1:{self.port}", "-t", str(self.site)],
            cwd=self.site,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # its own process group, ended as one in stop()
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if requests.get(self.api, params={"action": "query", "format": "json"}).ok:
                    return
            except requests.RequestException:
                time.sleep(0.2)
        self.stop()
        raise AssertionError(f"MediaWiki at {self.api} did not answer within 60 s")

    def stop(self) -> None:
        if self.process is not None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            self.process.wait(timeout=30)
            self.process = None
