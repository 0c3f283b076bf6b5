"""Configuration: brownie-config.yaml read once into frozen dataclasses.

The project root is the nearest folder, from the working directory upwards, that holds
``brownie-config.yaml``; ``IPLEDGER_PROJECT`` overrides it. Secrets never live here:
RPC URLs may name environment variables (``${SEPOLIA_RPC_URL}``).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from ipledger.errors import ConfigError

CONFIG_FILE = "brownie-config.yaml"
BACKENDS = ("embedded", "anvil", "ganache", "rpc")
_ENV_REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


@dataclass(frozen=True)
class CompilerSettings:
    """Solidity compiler settings (brownie-config.yaml ``compiler:``)."""

    version: str
    evm_version: str
    optimizer_enabled: bool
    optimizer_runs: int
    remappings: tuple[str, ...]


@dataclass(frozen=True)
class NetworkSettings:
    """One network (brownie-config.yaml ``networks: NAME:``)."""

    name: str
    backend: str
    chain_id: int | None = None
    host: str | None = None
    live: bool = False
    confirmations: int = 0
    timeout: float = 60.0
    launch: tuple[tuple[str, Any], ...] = ()
    # Longest block range one eth_getLogs request may ask (`max_log_span:`); public endpoints refuse more
    # (a few hundred to 10,000 blocks). Reads go in spans of this size and halve when the node still refuses.
    max_log_span: int = 10_000

    def cmd(self, key: str, default: Any = None) -> Any:
        """A launch setting of a local node (``launch:``)."""
        return dict(self.launch).get(key, default)

    def resolved_host(self) -> str:
        """The RPC URL with ``${VAR}`` replaced from the environment."""
        if not self.host:
            raise ConfigError(f"network '{self.name}' has no host: set networks.{self.name}.host in {CONFIG_FILE}")

        def sub(match: re.Match[str]) -> str:
            value = os.environ.get(match.group(1))
            if not value:
                raise ConfigError(
                    f"network '{self.name}' needs the environment variable {match.group(1)} "
                    f"(its RPC URL); export {match.group(1)}=https://... and try again"
                )
            return value

        return _ENV_REF.sub(sub, self.host)


@dataclass(frozen=True)
class Config:
    """The whole project configuration."""

    root: Path
    compiler: CompilerSettings
    networks: dict[str, NetworkSettings] = field(default_factory=dict)
    default_network: str = "embedded"

    @property
    def contracts_dir(self) -> Path:
        return self.root / "contracts"

    @property
    def build_dir(self) -> Path:
        return self.root / "build"

    @property
    def deployments_dir(self) -> Path:
        """``deployments/`` of the project, or ``IPLEDGER_DEPLOYMENTS_DIR``."""
        env = os.environ.get("IPLEDGER_DEPLOYMENTS_DIR")
        return Path(env) if env else self.root / "deployments"

    @property
    def node_bin(self) -> Path:
        return self.root / "node_modules" / ".bin"

    def network(self, name: str | None) -> NetworkSettings:
        """The settings of network ``name`` (the default when None); a URL makes an ad-hoc RPC network."""
        name = name or self.default_network
        if name.startswith(("http://", "https://", "ws://", "wss://")):
            return NetworkSettings(name=name, backend="rpc", host=name, live=not _is_loopback(name))
        if name in self.networks:
            return self.networks[name]
        known = ", ".join(sorted(self.networks))
        from difflib import get_close_matches

        close = get_close_matches(name, list(self.networks), n=1)
        hint = f" Did you mean '{close[0]}'?" if close else ""
        raise ConfigError(f"unknown network '{name}'.{hint} Known networks: {known}, or an http:// RPC URL")


def _is_loopback(url: str) -> bool:
    return bool(re.match(r"^\w+://(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?(/|$)", url))


def find_root(start: Path | None = None) -> Path:
    """The project root: ``IPLEDGER_PROJECT``, else the nearest folder with brownie-config.yaml."""
    env = os.environ.get("IPLEDGER_PROJECT")
    if env:
        root = Path(env).resolve()
        if not (root / CONFIG_FILE).is_file():
            raise ConfigError(f"IPLEDGER_PROJECT={env} has no {CONFIG_FILE}; point it at the project folder")
        return root
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG_FILE).is_file():
            return folder
    package_root = Path(__file__).resolve().parents[2]
    if (package_root / CONFIG_FILE).is_file():
        return package_root
    raise ConfigError(
        f"no {CONFIG_FILE} in {here} or any parent folder; run ipledger inside the project or set IPLEDGER_PROJECT"
    )


def _parse_network(name: str, raw: dict[str, Any]) -> NetworkSettings:
    backend = raw.get("backend", "rpc")
    if backend not in BACKENDS:
        raise ConfigError(f"networks.{name}.backend is '{backend}'; use one of {', '.join(BACKENDS)}")
    cmd = raw.get("launch") or {}
    return NetworkSettings(
        name=name,
        backend=backend,
        chain_id=int(raw["chain_id"]) if raw.get("chain_id") is not None else None,
        host=raw.get("host"),
        live=bool(raw.get("live", False)),
        confirmations=int(raw.get("confirmations", 0)),
        timeout=float(raw.get("timeout", 60)),
        launch=tuple(sorted(cmd.items())),
        max_log_span=_positive(raw.get("max_log_span", 10_000), f"networks.{name}.max_log_span"),
    )


def _positive(value: Any, what: str) -> int:
    """A whole number of at least 1 from the YAML, or a ConfigError naming the setting."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ConfigError(f"{what} is {value!r}; give a whole number of blocks, at least 1 (e.g. 1000)")
    return value


def parse_config(root: Path, data: dict[str, Any]) -> Config:
    """Builds a Config from the parsed YAML of ``root / brownie-config.yaml``."""
    comp = data.get("compiler") or {}
    solc = comp.get("solc") or {}
    optimizer = solc.get("optimizer") or {}
    compiler = CompilerSettings(
        version=str(solc.get("version", "0.8.28")),
        evm_version=str(comp.get("evm_version", "shanghai")),
        optimizer_enabled=bool(optimizer.get("enabled", True)),
        optimizer_runs=int(optimizer.get("runs", 200)),
        remappings=tuple(solc.get("remappings") or ()),
    )
    networks: dict[str, NetworkSettings] = {}
    for name, raw in (data.get("networks") or {}).items():
        if isinstance(raw, dict) and "backend" in raw:
            networks[name] = _parse_network(name, raw)
    ipl = data.get("ipledger") or {}
    default = str(ipl.get("default_network", "embedded"))
    if networks and default not in networks:
        raise ConfigError(f"ipledger.default_network '{default}' is not under networks: in {CONFIG_FILE}")
    return Config(root=root, compiler=compiler, networks=networks, default_network=default)


@lru_cache(maxsize=8)
def _load_cached(root: Path, mtime: float) -> Config:
    import yaml  # type: ignore[import-untyped]

    path = root / CONFIG_FILE
    try:
        data = yaml.safe_load(path.read_text()) or {}
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path} is not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path} must be a mapping at the top level")
    return parse_config(root, data)


def load_config(root: Path | None = None) -> Config:
    """Reads brownie-config.yaml once (re-read only when the file changes)."""
    root = (root or find_root()).resolve()
    path = root / CONFIG_FILE
    if not path.is_file():
        raise ConfigError(f"{path} not found; run ipledger inside the project or set IPLEDGER_PROJECT")
    return _load_cached(root, path.stat().st_mtime)
