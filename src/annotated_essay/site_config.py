"""Reading ``mkdocs.yml`` without MkDocs: the same file must load under Zensical too.

MkDocs configurations carry tags (``!ENV``, ``!!python/name:...``) that a plain
safe loader rejects and a full loader would execute; this loader resolves
``!ENV`` as MkDocs does and keeps every other tagged value as plain data.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import yaml

__all__ = ["SiteConfigError", "extension_entries", "nav_pages", "read_config"]


class SiteConfigError(Exception):
    """``mkdocs.yml`` cannot be read or its ``docs_dir`` does not exist."""


def read_config(path: Path) -> dict[str, Any]:
    """``mkdocs.yml`` as a mapping; ``!ENV`` resolved, ``!!python/...`` and other tags kept as text.

    Raises:
        SiteConfigError: The file is not valid YAML or not a mapping.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise SiteConfigError(f"{path}: cannot read the configuration: {error}") from None
    try:
        # libyaml's parser, ten times as fast; a file it refuses is read again by the
        # pure-Python one, whose messages MkDocs' own (pure-Python) loader gives too.
        data = yaml.load(text, Loader=_FastTolerantLoader)  # no object construction
    except yaml.YAMLError:
        try:
            data = yaml.load(text, Loader=_TolerantLoader)
        except yaml.YAMLError as error:
            raise SiteConfigError(f"{path}: cannot read the configuration: {error}") from None
    if not isinstance(data, dict):
        raise SiteConfigError(f"{path}: the configuration is not a mapping.")
    return data


class _TolerantLoader(yaml.SafeLoader):
    """A safe loader that reads the tags MkDocs configurations use without running anything."""


# libyaml's parser when PyYAML was built with it (the wheels are), else the same pure-Python one.
_SafeLoaderBase: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _FastTolerantLoader(_SafeLoaderBase):  # type: ignore[valid-type,misc]
    """:class:`_TolerantLoader` on libyaml's parser."""


def _construct_env(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    # !ENV NAME or !ENV [NAME, OTHER, default]: the first variable set, else the default (None).
    if isinstance(node, yaml.ScalarNode):
        names: list[Any] = [loader.construct_scalar(node)]
        default: Any = None
    else:
        assert isinstance(node, yaml.SequenceNode)  # MkDocs accepts scalar or sequence only
        names = [loader.construct_object(child) for child in node.value]
        default = names.pop() if len(names) > 1 else None
    for name in names:
        if isinstance(name, str) and name in os.environ:
            return yaml.safe_load(os.environ[name])
    return default


def _construct_other(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    # Any other tag (!!python/name:..., !relative): keep the value, never import or call anything.
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node) or suffix
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    assert isinstance(node, yaml.MappingNode)  # the three node kinds of YAML
    return loader.construct_mapping(node)


for _loader in (_TolerantLoader, _FastTolerantLoader):
    _loader.add_constructor("!ENV", _construct_env)
    _loader.add_multi_constructor("", _construct_other)


def nav_pages(data: Any, title: str | None = None) -> Iterator[tuple[str | None, str]]:
    """``(title, path)`` of every entry of a MkDocs ``nav``, depth first, as ``_data_to_navigation`` reads it."""
    if isinstance(data, str):
        if "://" not in data and not data.startswith("mailto:"):
            yield title, data
    elif isinstance(data, list):
        for item in data:
            yield from nav_pages(item)
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from nav_pages(value, str(key) if isinstance(value, str) else None)


def extension_entries(data: Any) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """``(name, settings)`` of every entry of ``markdown_extensions``."""
    # MkDocs accepts a list of names or one-key mappings, or a mapping of name to settings.
    items: list[Any] = list(data.items()) if isinstance(data, dict) else list(data or [])
    for item in items:
        if isinstance(item, str):
            yield item, {}
        elif isinstance(item, tuple):
            yield str(item[0]), item[1] if isinstance(item[1], dict) else {}
        elif isinstance(item, dict):
            for name, settings in item.items():
                yield str(name), settings if isinstance(settings, dict) else {}
