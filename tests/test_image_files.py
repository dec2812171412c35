"""The image that ships: Dockerfile, docker-compose.yml and the Makefile targets they use.

Docker cannot run on the project's machines, so the files are parsed: the dependency layer
comes before the sources, no dev tool reaches the image, the health check asks `/healthz`
(which `icc-assistant run` serves in polling mode too), the image runs as a non-root user and
the Chroma server can write its volume. The two runtime behaviours behind them (`/healthz`
while polling, a clear line for a playground port in use) are run for real.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import pytest
import yaml

from bot.cli import main
from bot.config import load_settings
from bot.core.errors import UserFacingError
from bot.playground.server import PortInUseError, StandIn

ROOT = Path(__file__).resolve().parents[1]
SOURCE_DIRS = ("bot", "retrieval", "scoring")
#: What only developers and CI need; none of it may be installed in the image.
DEV_TOOLS = ("pytest", "ruff", "playwright", "hadolint", "hypothesis", "fpdf2")


# -- the Dockerfile, parsed ----------------------------------------------------------------------


@dataclass(frozen=True)
class Instruction:
    keyword: str
    args: str


def dockerfile_stages() -> list[list[Instruction]]:
    """The Dockerfile's instructions (continuations joined, comments dropped), by stage."""
    logical: list[str] = []
    pending = ""
    for raw in (ROOT / "Dockerfile").read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        logical.append(pending + line)
        pending = ""
    stages: list[list[Instruction]] = []
    for line in logical:
        keyword, _, args = line.partition(" ")
        instruction = Instruction(keyword.upper(), args.strip())
        if instruction.keyword == "FROM":
            stages.append([])
        assert stages, "an instruction before the first FROM"
        stages[-1].append(instruction)
    return stages


def copy_sources(instruction: Instruction) -> list[str]:
    """The source paths of a COPY (its --options and its destination left out)."""
    words = [w for w in shlex.split(instruction.args) if not w.startswith("--")]
    return [w.rstrip("/").removeprefix("./") for w in words[:-1]]


def installs_dependencies(instruction: Instruction) -> bool:
    return instruction.keyword == "RUN" and bool(
        re.search(r"\bpip install\b|\bmake (deps-runtime|install)", instruction.args)
    )


def env_of(stage: list[Instruction]) -> dict[str, str]:
    """The ENV values a stage sets (``KEY=value`` forms)."""
    values: dict[str, str] = {}
    for instruction in stage:
        if instruction.keyword == "ENV":
            for word in shlex.split(instruction.args):
                key, sep, value = word.partition("=")
                if sep:
                    values[key] = value
    return values


def make_dry_run(target: str, tmp_path: Path) -> list[str]:
    """The commands `make TARGET` would run for a fresh venv, as the Dockerfile calls it."""
    (tmp_path / "venv").mkdir(exist_ok=True)  # where the generated requirement lists go
    result = subprocess.run(
        ["make", "-n", target, f"VENV={tmp_path / 'venv'}", f"PY={sys.executable}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return [line for line in result.stdout.splitlines() if line and not line.startswith("#")]


def test_dependencies_install_in_a_layer_before_the_sources_are_copied() -> None:
    build = dockerfile_stages()[0]
    first_install = next(i for i, ins in enumerate(build) if installs_dependencies(ins))
    copied_before = [
        p for ins in build[:first_install] if ins.keyword == "COPY" for p in (copy_sources(ins))
    ]
    assert "pyproject.toml" in copied_before
    assert not set(copied_before) & {*SOURCE_DIRS, "corpus", "."}, copied_before
    source_copies = [
        i
        for i, ins in enumerate(build)
        if ins.keyword == "COPY" and set(copy_sources(ins)) & set(SOURCE_DIRS)
    ]
    assert sorted({p for i in source_copies for p in copy_sources(build[i])}) == list(SOURCE_DIRS)
    assert first_install < min(source_copies)
    # torch comes first and alone, from the CPU wheel index.
    assert "download.pytorch.org/whl/cpu" in build[first_install].args


def test_the_dependency_layer_needs_no_source_and_installs_torch_first_and_alone(
    tmp_path: Path,
) -> None:
    build = dockerfile_stages()[0]
    first_install = next(ins for ins in build if installs_dependencies(ins))
    target = re.search(r"\bmake ([\w-]+)", first_install.args)
    assert target, first_install.args
    commands = make_dry_run(target[1], tmp_path)
    pip_installs = [c for c in commands if " install " in c and "/pip " in c]
    assert pip_installs[1].endswith(" torch==2.13.0"), pip_installs  # after pip's own upgrade
    project_installs = [c for c in commands if "pip install" in c and " ." in c + " "]
    assert not [c for c in project_installs if c.split()[-1].startswith((".", "'."))], commands


def test_no_dev_extra_is_installed_in_the_image(tmp_path: Path) -> None:
    runs = [ins.args for stage in dockerfile_stages() for ins in stage if ins.keyword == "RUN"]
    for args in runs:
        assert "[dev]" not in args
        assert not re.search(r"\bmake install\b(?!-)", args), "make install brings the dev tools"
        for tool in DEV_TOOLS:
            assert tool not in args
    make_targets = [t for args in runs for t in re.findall(r"\bmake ([\w-]+)", args)]
    assert make_targets
    for target in make_targets:
        commands = make_dry_run(target, tmp_path)
        assert not any("[dev]" in c or "requirements-dev" in c for c in commands), commands
        # The requirement lists those targets generate: run the generating command for real.
        for command in commands:
            if command.startswith(sys.executable) and ">" in command:
                subprocess.run(command, shell=True, cwd=ROOT, check=True)
    [requirements] = (tmp_path / "venv").glob("requirements*.txt")
    wanted = requirements.read_text(encoding="utf-8").split()
    assert "torch==2.13.0" in wanted
    assert "python-telegram-bot[webhooks,rate-limiter,job-queue]==22.8" in wanted
    assert not [r for r in wanted if r.split("=")[0].lower().startswith(DEV_TOOLS)], wanted


def test_developers_and_ci_still_get_the_dev_tools(tmp_path: Path) -> None:
    commands = make_dry_run("install", tmp_path)
    assert any("requirements-dev" in c and "pip install" in c for c in commands)
    generate = next(c for c in commands if c.endswith("requirements-dev.txt"))
    subprocess.run(generate, shell=True, cwd=ROOT, check=True)
    dev = (tmp_path / "venv" / "requirements-dev.txt").read_text(encoding="utf-8").split()
    assert {"pytest", "ruff", "playwright"} <= {r.split("=")[0] for r in dev}


def test_the_healthcheck_asks_healthz_on_the_port_run_serves_it() -> None:
    final = dockerfile_stages()[-1]
    [healthcheck] = [ins for ins in final if ins.keyword == "HEALTHCHECK"]
    command = healthcheck.args.split("CMD", 1)[1]
    url = re.search(r"https?://[^'\"\s]+", command)
    assert url, command
    listen = env_of(final)["ICC_WEBHOOK_LISTEN"]
    assert url[0] == f"http://127.0.0.1:{listen.rpartition(':')[2]}/healthz"


def final_user() -> str:
    users = [ins.args for ins in dockerfile_stages()[-1] if ins.keyword == "USER"]
    assert users, "the final stage sets no USER: it would run as root"
    return users[-1]


def test_the_final_stage_runs_as_a_non_root_user() -> None:
    assert final_user().split(":")[0] not in {"root", "0"}


def test_the_chroma_service_can_write_its_volume() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    chroma = compose["services"]["chroma"]
    [volume] = chroma["volumes"]
    target = PurePosixPath(volume.split(":")[1])
    if str(chroma.get("user", "")).split(":")[0] in {"root", "0"}:
        return  # runs as root, explained in the file
    assert chroma["build"] == ".", "the chroma service no longer runs the project's image"
    # The directory must exist in the image, owned by the user it runs as: Docker then creates
    # the empty named volume with that owner.
    build, final = dockerfile_stages()[0], dockerfile_stages()[-1]
    user = final_user().split(":")[0]
    useradd = next(ins.args for ins in final if "useradd" in ins.args)
    name = useradd.split()[-1]
    owners = {user, name, f"{name}:{name}", f"{user}:{user}"}
    created = any(
        ins.keyword == "RUN" and re.search(rf"mkdir -p \S*{re.escape(str(target))}\b", ins.args)
        for ins in build
    )
    copied = [
        ins
        for ins in final
        if ins.keyword == "COPY"
        and "--from=build" in ins.args
        and target.is_relative_to(shlex.split(ins.args)[-2])
    ]
    assert created and copied, f"{target} is not created in the build stage and copied"
    assert re.search(r"--chown=(\S+)", copied[-1].args)[1] in owners


# -- the playground's port ---------------------------------------------------------------------


def taken_port() -> socket.socket:
    """A loopback socket listening on a free port (the caller closes it)."""
    holder = socket.socket()
    holder.bind(("127.0.0.1", 0))
    holder.listen()
    return holder


async def test_a_taken_port_is_a_port_in_use_error() -> None:
    with taken_port() as holder:
        port = holder.getsockname()[1]
        with pytest.raises(PortInUseError, match=f"^port {port} is already in use$"):
            async with StandIn(port=port):
                pass


def test_make_run_on_a_taken_port_says_so_in_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    with taken_port() as holder:
        port = holder.getsockname()[1]
        assert main(["playground", "--port", str(port)]) == 2
    err = capsys.readouterr().err
    assert err.splitlines() == [
        f"icc-assistant: port {port} is already in use; choose another with make run "
        f"PORT={port + 1} (or icc-assistant playground --port {port + 1})"
    ]


def test_make_run_passes_the_port() -> None:
    result = subprocess.run(
        ["make", "-n", "-o", "install", "run", "PORT=8081"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={k: v for k, v in os.environ.items() if k != "TELEGRAM_BOT_TOKEN"},
    )
    assert "playground --port 8081" in result.stdout


# -- /healthz while polling ----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=15) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


async def test_polling_refuses_a_health_address_in_use_in_one_line(tmp_path: Path) -> None:
    from bot.commands.serve import polling_with_health
    from bot.services import build_services
    from bot.tg.app import build_application

    async with StandIn() as standin:
        settings = load_settings(
            telegram_bot_token="1:image",
            telegram_api_base_url=standin.base_url,
            icc_data_dir=tmp_path,
        )
        services = build_services(settings)
        with taken_port() as holder:
            port = holder.getsockname()[1]
            server = polling_with_health(
                build_application(settings, services), services, "127.0.0.1", port
            )
            with pytest.raises(UserFacingError, match="ICC_WEBHOOK_LISTEN") as caught:
                async with server:
                    pass
        assert f"127.0.0.1:{port} is already in use" in str(caught.value)
        assert not standin.calls("getUpdates")  # refused before polling started


@pytest.mark.e2e
async def test_run_in_polling_mode_serves_healthz_and_metrics(
    index_dir: Path, tmp_path: Path
) -> None:
    """`icc-assistant run` for real, polling the stand-in: what Docker's HEALTHCHECK asks."""
    port = free_port()
    log_path = tmp_path / "run.log"
    async with StandIn() as standin:
        env = {
            **os.environ,
            "TELEGRAM_BOT_TOKEN": "424243:image-healthz",
            "TELEGRAM_API_BASE_URL": standin.base_url,
            "ICC_DATA_DIR": str(index_dir.parent),
            "ICC_WEBHOOK_LISTEN": f"127.0.0.1:{port}",
        }
        with log_path.open("wb") as log:
            process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", "run", env=env, stdout=log, stderr=log
            )
        try:
            status, body = 0, b""
            for _ in range(480):  # the model and the index load first (seconds, not minutes)
                if process.returncode is not None:
                    break
                try:
                    status, body = await asyncio.to_thread(get, f"http://127.0.0.1:{port}/healthz")
                    break
                except OSError:
                    await asyncio.sleep(0.25)
            assert status == 200, (body, log_path.read_text(errors="replace")[-3000:])
            health = json.loads(body)
            assert health["status"] == "ok"
            assert set(health["checks"]) == {"database", "index", "index_model"}
            status, metrics = await asyncio.to_thread(get, f"http://127.0.0.1:{port}/metrics")
            assert status == 200 and b"icc_reply_latency_seconds" in metrics
            await standin.wait_for(lambda: standin.calls("getUpdates"), timeout=30)
            assert standin.state.webhook is None  # polling, not a webhook
        finally:
            if process.returncode is None:
                process.send_signal(signal.SIGTERM)
            try:
                returncode = await asyncio.wait_for(process.wait(), 60)
            except TimeoutError:
                process.kill()
                await process.wait()
                raise
    assert returncode == 0, log_path.read_text(errors="replace")[-3000:]
