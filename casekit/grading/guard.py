"""Tamper detection for graded kernels: one job, a fingerprint of what the
checks rely on, taken inside the student's kernel and compared outside.

The grader adds a guard cell before any student code, one before every check
cell and one at the end (they are not saved in the graded notebook). Each
guard runs :data:`SOURCE` in a namespace of its own and prints one line,
``<marker> <json>``: a fingerprint of

* the builtins (``abs``, ``round``, ``isinstance``…): type and name of each;
* names in the notebook's namespace that shadow a builtin with something
  callable (``def abs(x): return 0``);
* IPython's input transformers, AST transformers, event callbacks and the
  shell methods that run a cell (an ``assert`` turned into ``pass``);
* every loaded ``casekit`` module: where it was loaded from and a hash of the
  code of each of its functions and of its public UPPER_CASE constants.

:func:`expected` computes the builtin and casekit parts in the grader's own
process (same files, same Python); :func:`compare` lists the differences. The
first guard also caps what one cell may print (a 200 MB print is cut).

What this cannot promise: code running inside the kernel can in principle
forge the guard's output (it is open source). It raises the bar from one line
to deliberate forgery, and the sandbox limits what such code can reach.
"""

from __future__ import annotations

import json

__all__ = ["MARKER", "SOURCE", "cell_source", "parse", "expected", "compare"]

MARKER = "\x1e casekit-guard"

SOURCE = r'''
import builtins as _b, hashlib as _h, json as _j, sys as _s, types as _t

_SKIP = {"exit", "quit", "help", "copyright", "credits", "license", "display", "get_ipython",
         "breakpoint", "input", "open", "execfile", "runfile"}


def _stable(k):
    """repr of a constant, the same in every process (set order depends on
    the per-process string hash seed)."""
    if isinstance(k, (frozenset, set)):
        return "{" + ", ".join(sorted(_stable(x) for x in k)) + "}"
    if isinstance(k, tuple):
        return "(" + ", ".join(_stable(x) for x in k) + ")"
    return repr(k)


def _code(c, h):
    h.update(c.co_code)
    h.update(repr((c.co_names, c.co_varnames)).encode())
    for k in c.co_consts:
        if isinstance(k, _t.CodeType):
            _code(k, h)
        else:
            h.update(_stable(k).encode()[:500])


def _value(v):
    """A hash of a value's data, the same in any process (no addresses, no
    display settings)."""
    h = _h.sha256()
    try:
        if isinstance(v, (set, frozenset, tuple)):
            r = _stable(v)
        elif hasattr(v, "to_dict") and hasattr(v, "index"):  # pandas
            r = repr(v.to_dict())
        elif hasattr(v, "tolist"):                             # numpy
            r = repr(v.tolist())
        else:
            r = repr(v)
        if " at 0x" in r:
            r = type(v).__qualname__
    except Exception:
        r = type(v).__qualname__
    h.update(r.encode()[:200000])
    return h.hexdigest()[:16]


def _obj(v):
    f = getattr(v, "__wrapped__", v)
    if isinstance(f, (staticmethod, classmethod)):
        f = f.__func__
    if isinstance(f, _t.FunctionType):
        h = _h.sha256()
        _code(f.__code__, h)
        h.update(_stable(f.__defaults__).encode()[:500])
        return "f" + h.hexdigest()[:16]
    if isinstance(v, type):
        parts = []
        for k in sorted(vars(v)):
            a = vars(v)[k]
            if isinstance(a, (_t.FunctionType, staticmethod, classmethod, property)):
                parts.append(k + ":" + (_obj(a.fget) if isinstance(a, property) and a.fget else _obj(a)))
        return "c" + _value(parts)
    return "o" + type(v).__module__ + "." + type(v).__qualname__


def _sig(v):
    return "%s.%s|%s|%s" % (type(v).__module__, type(v).__qualname__, getattr(v, "__module__", None),
                            getattr(v, "__qualname__", None))


def fingerprint(casekit_dir, ip=None):
    out = {}
    for n in sorted(vars(_b)):
        v = vars(_b)[n]
        if n.startswith("_") or n in _SKIP or not (isinstance(v, (_t.BuiltinFunctionType, type))):
            continue
        out["builtin:" + n] = _sig(v)
    for n, m in sorted(_s.modules.items()):
        if not (n == "casekit" or n.startswith("casekit.")) or m is None:
            continue
        f = str(getattr(m, "__file__", "") or "")
        out["module:" + n] = "ok" if f.startswith(casekit_dir) else "loaded from elsewhere"
        for k in sorted(vars(m)):
            v = vars(m)[k]
            if k.startswith("__") or isinstance(v, _t.ModuleType):
                continue
            mod = getattr(getattr(v, "__wrapped__", v), "__module__", None) or ""
            if callable(v) and (mod == n):
                out["code:%s.%s" % (n, k)] = _obj(v)
            elif k.isupper() and not k.startswith("_") and not callable(v) and not hasattr(v, "__fspath__"):
                out["const:%s.%s" % (n, k)] = _value(v)
    if ip is not None:
        ns = ip.user_ns
        for n in sorted(vars(_b)):
            if n in ns and not n.startswith("_") and callable(ns[n]) and ns[n] is not vars(_b)[n]:
                out["shadow:" + n] = _sig(ns[n])
        for n, v in list(ns.items()):
            if isinstance(v, _t.ModuleType) and _s.modules.get(v.__name__) is not v:
                out["fake-module:" + n] = v.__name__
        tm = ip.input_transformer_manager
        lists = {"input_transformers_cleanup": ip.input_transformers_cleanup,
                 "input_transformers_post": ip.input_transformers_post,
                 "cleanup_transforms": getattr(tm, "cleanup_transforms", []),
                 "line_transforms": getattr(tm, "line_transforms", []),
                 "token_transformers": getattr(tm, "token_transformers", []),
                 "ast_transformers": ip.ast_transformers}
        for k, lst in lists.items():
            out["ipython:" + k] = [_sig(x) for x in lst]
        trusted = ("IPython.", "ipykernel.", "matplotlib", "ipywidgets.", "comm.", "_casekit_guard")

        def _own(f):
            m = getattr(f, "__module__", None) or getattr(type(f), "__module__", "") or ""
            return not (m + ".").startswith(trusted)
        out["ipython:events"] = {k: sorted(_sig(f) for f in v if _own(f))
                                 for k, v in sorted(ip.events.callbacks.items())}
        out["ipython:instance-overrides"] = sorted(k for k, v in vars(ip).items()
                                                   if callable(v) and hasattr(type(ip), k))
        for k in ("run_cell", "run_cell_async", "run_ast_nodes", "run_code", "transform_cell",
                  "transform_ast", "showtraceback", "_showtraceback", "showsyntaxerror", "should_run_async",
                  "_run_cell", "run_line_magic"):
            f = getattr(type(ip), k, None)
            out["ipython-method:" + k] = _obj(f) if f is not None else "missing"
        tm_cls = type(tm)
        out["ipython-method:transform_cell_manager"] = _obj(getattr(tm_cls, "transform_cell", None))
        out["trace"] = [type(_s.gettrace()).__qualname__, type(_s.getprofile()).__qualname__]
        out["excepthook"] = _sig(_s.excepthook)
    return out


def digest(fp):
    return {k: (v if k.startswith("module:") else _value(v)) for k, v in fp.items()}


def _cap(limit):
    """Cut what one cell may print to `limit` characters (stdout and stderr
    together), inside ipykernel's stream buffers (IPython swaps the streams'
    write method around every cell, the buffers stay)."""
    import collections
    import ipykernel.iostream as io

    used = {}

    class Capped(io.StringIO):
        def __init__(self, key):
            super().__init__()
            self._key = key

        def write(self, s):
            if isinstance(s, str) and s.startswith(MARK + " "):
                # The guard's own line (one write): never cut, or a large
                # course's fingerprint would read as a missing check. The
                # grader still stops a cell past MAX_RECEIVED characters.
                return super().write(s)
            n = used.get(self._key, 0)
            used[self._key] = n + len(s)
            if n >= limit:
                return len(s)
            if n + len(s) > limit:
                s = s[: limit - n] + "\n[output cut at %d characters by the grader]\n" % limit
            return super().write(s)

    class Buffers(dict):
        def __missing__(self, key):
            v = self[key] = Capped(key)
            return v

    io.defaultdict = lambda factory=None, *a: (Buffers() if factory is io.StringIO
                                               else collections.defaultdict(factory, *a))
    for stream in (_s.stdout, _s.stderr):
        if hasattr(stream, "_buffers"):
            with stream._buffer_lock:
                old, stream._buffers = stream._buffers, Buffers()
                for k, v in old.items():
                    stream._buffers[k].write(v.getvalue())
'''


def cell_source(casekit_dir: str, *, first: bool = False, cap: int = 100_000) -> str:
    """Source of one guard cell (``first``: also cap what a cell may print)."""
    code = (SOURCE + (f"_cap({int(cap)})\n" if first else "")
            + f"_s.stdout.write(MARK + ' ' + _j.dumps(digest(fingerprint({casekit_dir!r}, get_ipython())), separators=(',', ':')) + '\\n')\n")
    return f"exec({code!r}, {{'__name__': '_casekit_guard', 'MARK': {MARKER!r}}})"


def parse(outputs) -> dict | None:
    """The fingerprint printed by a guard cell, or None if there is none."""
    text = "".join(o.get("text", "") for o in outputs if o.get("output_type") == "stream"
                   and o.get("name") == "stdout")
    for line in text.split("\n"):  # not splitlines(): the marker's \x1e would split
        if line.startswith(MARKER + " "):
            try:
                return json.loads(line[len(MARKER) + 1:])
            except ValueError:
                return None
    return None


_EXPECTED: dict = {}


def expected(casekit_dir: str, modules) -> dict:
    """Builtin and casekit parts of a clean fingerprint, computed here (modules
    are imported in this process)."""
    import importlib

    ns: dict = {"__name__": "_casekit_guard"}
    exec(SOURCE, ns)  # noqa: S102 - our own source
    out = dict(_EXPECTED.get("builtins") or {})
    if not out:
        out = {k: v for k, v in ns["digest"](ns["fingerprint"]("", None)).items() if k.startswith("builtin:")}
        _EXPECTED["builtins"] = out
    for name in modules:
        if name not in _EXPECTED:
            try:
                importlib.import_module(name)
            except Exception:  # pragma: no cover - a module the kernel could import
                _EXPECTED[name] = {}
                continue
            fp = ns["digest"](ns["fingerprint"](casekit_dir, None))
            _EXPECTED[name] = {k: v for k, v in fp.items()
                               if k.split(":", 1)[1].rsplit(".", 1)[0] == name and not k.startswith("module:")}
        out.update(_EXPECTED[name])
    return out


def compare(found: dict | None, baseline: dict | None, casekit_dir: str) -> list[str]:
    """What is wrong with a guard's fingerprint: against the clean values
    computed outside (builtins, casekit) and the kernel's first guard (IPython)."""
    if found is None:
        return ["the grader's check could not run (its output is missing)"]
    problems = []
    modules = sorted(k.split(":", 1)[1] for k in found if k.startswith("module:"))
    clean = expected(casekit_dir, modules)
    for k, v in sorted(clean.items()):
        if k.startswith("builtin:") and found.get(k) != v:
            problems.append(f"builtin {k.split(':', 1)[1]} replaced")
        elif (k.startswith("code:") or k.startswith("const:")) and found.get(k) != v and (
                k in found or "module:" + k.split(":", 1)[1].rsplit(".", 1)[0] in found):
            problems.append(f"casekit {k.split(':', 1)[1]} changed")
    for k, v in sorted(found.items()):
        if k.startswith("module:") and v != "ok":
            problems.append(f"{k.split(':', 1)[1]} {v}")
        elif k.startswith("shadow:") and (baseline or {}).get(k) != v:
            problems.append(f"builtin {k.split(':', 1)[1]} redefined in the notebook")
        elif k.startswith("fake-module:"):
            problems.append(f"name {k.split(':', 1)[1]} bound to a fake module {v}")
        elif (k.startswith("code:") or k.startswith("const:")) and k not in clean:
            problems.append(f"casekit {k.split(':', 1)[1]} added")
    base = baseline or {}
    for k in sorted(set(base) | set(found)):
        if (k.startswith("ipython") or k in ("trace", "excepthook")) and base.get(k) != found.get(k):
            problems.append(f"IPython changed: {k.split(':', 1)[-1]}")
    return problems
