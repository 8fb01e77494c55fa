"""Sandboxes for the kernels that run students' notebooks while grading.

One job: build the command that starts a Jupyter kernel so that student code
reaches nothing but its own private folder.

* ``bwrap`` (Debian package ``bubblewrap``): new PID, IPC, UTS and network
  namespaces (no network at all), a read-only view of the Python install, the
  course's virtualenv, the ``casekit`` package and ``data/`` (mounted at
  ``/course``), a fresh ``/tmp`` and ``/proc``, and one writable folder: the
  student's private folder. Nothing else of the machine is visible: no
  masters, no gradebook, no other submission, no repository checkout. Run as
  root, the kernel drops to the unprivileged user ``nobody`` (uid 65534)
  inside; run as an ordinary user, bwrap uses a user namespace and the kernel
  keeps that user's uid. ``--die-with-parent`` plus the PID namespace mean
  that killing the sandbox kills every process the notebook started.
* ``podman`` / ``docker``: the same mounts in a container started from
  ``CASEKIT_GRADING_IMAGE`` (an image with the same Python at the same path).
  Offered for instructors who have them; NOT tested by the course's tests.
* ``none``: no sandbox (only with an explicit flag from the instructor).

The kernel talks to the grader over Unix sockets in the private folder
(jupyter_client's ``ipc`` transport), so it needs no network.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

__all__ = ["KINDS", "NOBODY", "available", "pick", "kernel_argv", "course_paths", "kernel_env", "prepare_private"]

KINDS = ("bwrap", "podman", "docker", "none")
NOBODY = 65534
"""uid and gid of the kernel inside the sandbox when the grader runs as root."""

INSIDE_COURSE = "/course"
IMAGE_ENV = "CASEKIT_GRADING_IMAGE"

# Limits for the kernel process (inherited by everything it starts).
_LIMITS = {"RLIMIT_CORE": 0, "RLIMIT_FSIZE": 512 * 2**20, "RLIMIT_NOFILE": 1024}

# Runs first inside the sandbox: set limits, drop root, then exec the kernel.
_LAUNCH = (
    "import os, resource, sys\n"
    "for n, v in {limits!r}.items():\n"
    "    r = getattr(resource, n)\n"
    "    soft, hard = resource.getrlimit(r)\n"
    "    v = v if hard == resource.RLIM_INFINITY else min(v, hard)\n"
    "    resource.setrlimit(r, (v, v))\n"
    "if os.getuid() == 0:\n"
    "    os.setgroups([]); os.setgid({uid}); os.setuid({uid})\n"
    "    if os.getuid() == 0 or os.geteuid() == 0: sys.exit('could not drop root')\n"
    "os.umask(0o077)\n"
    "os.execv(sys.executable, [sys.executable, *sys.argv[1:]])\n"
)


def course_paths() -> dict:
    """Host paths the kernel needs: the casekit package, data/, the virtualenv
    and the Python install it is built on."""
    pkg = Path(__file__).resolve().parents[1]
    return {"casekit": pkg, "data": pkg.parent / "data",
            "prefix": Path(sys.prefix).resolve(), "base_prefix": Path(sys.base_prefix).resolve()}


def available(kind: str) -> bool:
    """True if the sandbox ``kind`` can be used on this machine."""
    if kind == "none":
        return True
    if kind == "bwrap":
        return sys.platform.startswith("linux") and shutil.which("bwrap") is not None
    if kind in ("podman", "docker"):
        return shutil.which(kind) is not None and bool(os.environ.get(IMAGE_ENV))
    raise ValueError(f"`sandbox` must be one of {KINDS} or 'auto'; got {kind!r}")


def pick(kind: str = "auto", *, allow_unsandboxed: bool = False) -> str:
    """The sandbox to use: ``kind`` if available, or with ``"auto"`` the first
    of bwrap, podman, docker found. Raises RuntimeError when none is found and
    ``allow_unsandboxed`` is false (``"none"`` also needs that flag)."""
    if kind != "auto" and kind not in KINDS:
        raise ValueError(f"`sandbox` must be one of {KINDS} or 'auto'; got {kind!r}")
    order = ("bwrap", "podman", "docker") if kind == "auto" else (kind,)
    for k in order:
        if k != "none" and available(k):
            return k
    if allow_unsandboxed:
        return "none"
    why = ("sandbox 'none' was asked for" if kind == "none" else
           f"no sandbox found (tried {', '.join(order)}): install Debian's `bubblewrap` "
           f"(apt-get install bubblewrap), or Podman/Docker with {IMAGE_ENV} set")
    raise RuntimeError(f"{why}. Student code would run with your rights and could read the masters, "
                       "the gradebook and other submissions. Refusing to grade; pass --allow-unsandboxed "
                       "(make grade ALLOW_UNSANDBOXED=1) only for submissions you trust.")


_MPL_CACHE: dict = {}


def mpl_cache() -> Path | None:
    """matplotlib's font list, built once per grading run (building it in
    every kernel takes seconds)."""
    if "dir" not in _MPL_CACHE:
        import subprocess
        import tempfile

        d = Path(tempfile.mkdtemp(prefix="casekit-mpl-"))
        env = {**os.environ, "MPLCONFIGDIR": str(d)}
        try:
            subprocess.run([sys.executable, "-c", "import matplotlib.font_manager"], env=env, timeout=300,
                           capture_output=True, check=True)
            _MPL_CACHE["dir"] = d
        except (subprocess.SubprocessError, OSError):  # pragma: no cover - matplotlib missing
            _MPL_CACHE["dir"] = None
    return _MPL_CACHE["dir"]


def prepare_private(private: Path) -> None:
    """Give the private folder matplotlib's font list and make it writable
    by the sandboxed kernel."""
    cache = mpl_cache()
    if cache is not None and not (private / ".mpl").exists():
        shutil.copytree(cache, private / ".mpl")
    os.chmod(private, 0o711)  # bwrap (as root, without capabilities) must enter it
    if os.geteuid() == 0:
        for p in [private, *private.rglob("*")]:
            os.chown(p, NOBODY, NOBODY, follow_symlinks=False)


def _parents(path: Path, done: set) -> list[str]:
    args = []
    for p in reversed(path.parents):
        s = str(p)
        if s != "/" and s not in done:
            done.add(s)
            args += ["--perms", "0755", "--dir", s]
    return args


def kernel_env(kind: str, private: Path) -> dict:
    """Environment of the kernel (the whole of it: nothing of the grader's)."""
    paths = course_paths()
    return {
        "PATH": f"{paths['prefix'] / 'bin'}:/usr/bin:/bin",
        "HOME": str(private),
        "PYTHONPATH": str(paths["casekit"].parent) if kind == "none" else INSIDE_COURSE,
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONIOENCODING": "utf-8",
        "LANG": "C.UTF-8",
        "MPLCONFIGDIR": str(private / ".mpl"),
        "IPYTHONDIR": str(private / ".ipython"),
        "XDG_CACHE_HOME": str(private / ".cache"),
        "CASEKIT_ANSWERS_DIR": str(private / "answers"),
        # No parsed-TOML cache: a submission could carry a forged cache entry.
        "CASEKIT_CACHE_DIR": "off",
        "JUPYTER_PLATFORM_DIRS": "1",
    }


def _kernel_cmd() -> list[str]:
    return ["-m", "ipykernel_launcher", "-f", "{connection_file}", "--HistoryManager.enabled=False",
            "--IPKernelApp.quiet=True"]


def kernel_argv(kind: str, private: Path) -> list[str]:
    """argv of a kernelspec that starts a kernel in sandbox ``kind`` with
    ``private`` as its only writable folder (and working folder)."""
    private = Path(private).resolve()
    paths = course_paths()
    py = sys.executable
    launch = [py, "-c", _LAUNCH.format(limits=_LIMITS, uid=NOBODY)]
    if kind == "none":
        return [*launch[:1], *_kernel_cmd()]
    if kind == "bwrap":
        args = ["bwrap", "--die-with-parent", "--new-session", "--unshare-pid", "--unshare-ipc",
                "--unshare-net", "--unshare-uts", "--unshare-cgroup-try", "--hostname", "grading", "--clearenv"]
        if os.geteuid() == 0:  # no user namespace: bwrap keeps only what is needed to drop to nobody
            args += ["--cap-drop", "ALL", "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"]
        else:
            args += ["--unshare-user"]
        args += ["--ro-bind", "/usr", "/usr"]
        for p in ("/bin", "/lib", "/lib64", "/lib32", "/sbin"):
            if os.path.islink(p):
                args += ["--symlink", os.readlink(p), p]
            elif os.path.isdir(p):
                args += ["--ro-bind", p, p]
        for p in ("/etc/ld.so.cache", "/etc/passwd", "/etc/group", "/etc/localtime", "/etc/fonts",
                  "/var/cache/fontconfig"):
            if os.path.exists(p):
                args += ["--ro-bind", p, p]
        args += ["--proc", "/proc", "--dev", "/dev", "--perms", "1777", "--tmpfs", "/tmp"]
        made = {"/usr", "/tmp", "/proc", "/dev", "/etc", "/var"}
        mounts = [(paths["base_prefix"], paths["base_prefix"]), (paths["prefix"], paths["prefix"]),
                  (paths["casekit"], Path(INSIDE_COURSE) / "casekit")]
        if paths["data"].is_dir():
            mounts.append((paths["data"], Path(INSIDE_COURSE) / "data"))
        for host, inside in mounts:
            if str(inside).startswith("/usr/"):
                continue  # already visible
            args += _parents(inside, made) + ["--ro-bind", str(host), str(inside)]
            made.add(str(inside))
        args += _parents(private, made) + ["--bind", str(private), str(private), "--chdir", str(private)]
        for k, v in kernel_env(kind, private).items():
            args += ["--setenv", k, v]
        return [*args, "--", *launch, *_kernel_cmd()]
    if kind in ("podman", "docker"):  # untested here: no container runtime on the course's machines
        image = os.environ.get(IMAGE_ENV, "")
        args = [kind, "run", "--rm", "-i", "--network=none", "--user", f"{NOBODY}:{NOBODY}", "--pids-limit=256",
                "--read-only", "--tmpfs", "/tmp", "-w", str(private), "-v", f"{private}:{private}:rw"]
        for host, inside in ((paths["base_prefix"], paths["base_prefix"]), (paths["prefix"], paths["prefix"]),
                             (paths["casekit"], f"{INSIDE_COURSE}/casekit"), (paths["data"], f"{INSIDE_COURSE}/data")):
            args += ["-v", f"{host}:{inside}:ro"]
        for k, v in kernel_env(kind, private).items():
            args += ["-e", f"{k}={v}"]
        return [*args, image, *launch, *_kernel_cmd()]
    raise ValueError(f"`sandbox` must be one of {KINDS}; got {kind!r}")
