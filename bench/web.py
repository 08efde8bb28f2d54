"""`make bench-web`: the web application under load on loopback; writes bench/web-results.json.

A 100,000-person province (generated once under bench/data/, as `make bench` does) is stored as a
snapshot; `dtbd serve --workers 2` (BENCH_WEB_WORKERS) runs in its own processes on 127.0.0.1; 20
clients (asyncio, one process) send requests for 60 s — the person page, the check and eligibility
API, the search API — each as soon as the previous one is answered. Reported: p95 per kind (check and
eligibility together), errors (any status other than 200, or a failed request), and the server's peak
RSS (its VmHWM, summed over its processes). All traffic stays on loopback and stops by itself after
the run.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx2 as httpx

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data"
PEOPLE = int(os.environ.get("BENCH_WEB_PEOPLE", "100000"))
CLIENTS = int(os.environ.get("BENCH_WEB_CLIENTS", "20"))
WORKERS = int(os.environ.get("BENCH_WEB_WORKERS", "2"))  # server processes (dtbd serve --workers), one per core
SECONDS = float(os.environ.get("BENCH_WEB_SECONDS", "60"))
QUERIES = ["nguyen van", "tran thi", "le", "pham minh", "hoang", "vu thi hoa", "dang", "bui", "do", "ngo"]


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _prepare(store: Path) -> tuple[str, str, list[str], list[str]]:
    """The store with the snapshot and a board account: (password, token, person ids, position ids)."""
    from bench.run import dataset
    from web import auth, snapshots
    from web.engine_port import SnapshotData, validate
    from web.store import Store

    folder = dataset(PEOPLE)
    if store.exists():
        shutil.rmtree(store)
    db = Store(store)
    started = time.perf_counter()
    snapshots.import_folder(db, folder, "bench", validate)
    print(f"  snapshot of {PEOPLE:,} people stored in {time.perf_counter() - started:.1f}s", flush=True)
    password = auth.add_user(db, "bench", "board", None)
    token = auth.new_api_token(db, "bench", "bench")
    db.close()
    data = SnapshotData(folder)
    people = [p.id for p in data.dataset.people if data.dataset.has_posts(p.id)][:5000]
    positions = [p.id for p in data.dataset.positions][:500]
    return password, token, people, positions


async def _login(client: httpx.AsyncClient, password: str) -> None:
    login = await client.get("/login")
    csrf = re.search(r'name="csrf" value="([^"]+)"', login.text)
    assert csrf, "no CSRF field on the login page"
    answer = await client.post("/login", data={"csrf": csrf.group(1), "name": "bench", "password": password})
    assert answer.status_code == 303, f"login refused: {answer.status_code}"


async def _client(client: httpx.AsyncClient, token: str, people: list[str], positions: list[str], stop: float,
                  times: dict[str, list[float]], errors: list[str], seed: int) -> None:
    rng = random.Random(seed)
    api = {"Authorization": f"Bearer {token}"}
    while time.monotonic() < stop:
        kind = rng.choice(("person_page", "check_api", "eligibility_api", "search"))
        person = rng.choice(people)
        started = time.perf_counter()
        try:
            if kind == "person_page":
                response = await client.get(f"/people/{person}")
            elif kind == "check_api":
                response = await client.get(f"/api/v1/people/{person}/check", headers=api)
            elif kind == "eligibility_api":
                body = {"person": person, "position": rng.choice(positions), "on": "2027-01-01"}
                response = await client.post("/api/v1/eligibility", json=body, headers=api)
            else:
                response = await client.get("/api/v1/people", params={"search": rng.choice(QUERIES)},
                                            headers=api)
            elapsed = (time.perf_counter() - started) * 1000
            if response.status_code != 200:
                errors.append(f"{kind} {response.status_code}")
            times.setdefault(kind, []).append(elapsed)
        except httpx.HTTPError as exc:
            errors.append(f"{kind} {type(exc).__name__}")


def _p95(values: list[float]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))], 1)


def _hwm_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _children(pid: int) -> list[int]:
    """The processes under `pid` (uvicorn's server processes, the background worker), from /proc."""
    out: list[int] = []
    todo = [pid]
    while todo:
        parent = todo.pop()
        try:
            tasks = Path(f"/proc/{parent}/task").iterdir()
            kids = [int(k) for t in tasks for k in (t / "children").read_text().split()]
        except OSError:
            kids = []
        out.extend(kids)
        todo.extend(kids)
    return out


def _cpu_s(pid: int) -> float:
    """CPU seconds (user + system) used so far by `pid` and the server processes under it."""
    total = 0.0
    for proc in [pid, *_children(pid)]:
        try:
            fields = Path(f"/proc/{proc}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, IndexError, ValueError):
            pass
    return total


def _settle(pid: int) -> None:
    """Wait until every server process has opened the snapshot: the first one answering is not the last one
    ready, so wait for the processes' memory to stop growing (three looks half a second apart)."""
    sizes: list[int] = []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and (len(sizes) < 3 or len(set(sizes[-3:])) > 1):
        sizes.append(sum(_hwm_kb(p) for p in [pid, *_children(pid)]) // 10240)  # in 10 MB steps
        time.sleep(0.5)


def _rss_mb(pid: int, peaks: dict[int, int]) -> float:
    """The peak resident memory of the server: the sum over its processes of each one's peak (VmHWM), every
    process seen so far counted (`peaks` keeps them, so a process that ended still counts)."""
    for proc in [pid, *_children(pid)]:
        peaks[proc] = max(peaks.get(proc, 0), _hwm_kb(proc))
    return round(sum(peaks.values()) / 1024, 1)


def main() -> None:
    store = DATA / "web-store"
    password, token, people, positions = _prepare(store)
    port = _port()
    server = subprocess.Popen([sys.executable, "-m", "cli", "serve", "--store", str(store), "--port", str(port),
                               "--workers", str(WORKERS)],
                              cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                if httpx.get(f"{base}/login", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"the server did not start: {server.stdout.read() if server.stdout else ''}")
            time.sleep(0.5)
        _settle(server.pid)
        peaks: dict[int, int] = {}
        print(f"  server up (pid {server.pid}, {WORKERS} processes, {_rss_mb(server.pid, peaks)} MB); {CLIENTS} clients"
              f" for {SECONDS:.0f}s", flush=True)
        times: dict[str, list[float]] = {}
        errors: list[str] = []

        async def run() -> None:
            clients = [httpx.AsyncClient(base_url=base, timeout=30) for _ in range(CLIENTS)]
            for client in clients:  # logged in before the timed window (Argon2 is slow on purpose)
                await _login(client, password)
            stop = time.monotonic() + SECONDS
            outcomes = await asyncio.gather(*(_client(client, token, people, positions, stop, times, errors, i)
                                              for i, client in enumerate(clients)), return_exceptions=True)
            errors.extend(f"client {type(o).__name__}: {o}" for o in outcomes if isinstance(o, BaseException))
            for client in clients:
                await client.aclose()

        cpu_before, client_before = _cpu_s(server.pid), time.process_time()
        asyncio.run(run())
        server_cpu, client_cpu = _cpu_s(server.pid) - cpu_before, time.process_time() - client_before
        peak = _rss_mb(server.pid, peaks)
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
    results = {"people": PEOPLE, "clients": CLIENTS, "seconds": SECONDS,
               "person_page_p95_ms": _p95(times.get("person_page", [])),
               "check_api_p95_ms": _p95(times.get("check_api", []) + times.get("eligibility_api", [])),
               "search_p95_ms": _p95(times.get("search", [])), "errors": len(errors), "peak_rss_mb": peak}
    counts = {kind: len(values) for kind, values in times.items()}
    done = max(1, sum(counts.values()))
    print(json.dumps(results, indent=2), "\n  requests:", counts, "\n  errors:", sorted(set(errors))[:10], flush=True)
    # the service time: CPU the server spent per request (what the p95s are made of, clients × service / cores)
    print(f"  CPU per request: server {server_cpu / done * 1000:.2f} ms, clients {client_cpu / done * 1000:.2f} ms;"
          f" {done / SECONDS:.0f} requests/s; load average {os.getloadavg()[0]:.1f}", flush=True)
    (ROOT / "bench" / "web-results.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
