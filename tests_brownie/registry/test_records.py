"""IPRegistry: the metadata of a right (in events; the token URI rendered on chain or under the office's base
URI), documents anchored against it, and the locked title's safe transfers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import brownie
import pytest
from eth_utils import keccak
from support import custom_error


def test_update_metadata_by_holder_changes_token_uri_and_emits_events(registry: Any, alice: Any,
                                                                      file_tm: Callable[..., int]) -> None:
    rid = file_tm()
    digest = keccak(text="new metadata")

    tx = registry.updateMetadata(rid, "ipfs://new", digest, {"from": alice})

    assert tx.events["MetadataChanged"]["rightId"] == rid
    assert tx.events["MetadataChanged"]["metadataURI"] == "ipfs://new"  # in the event only: nothing is stored
    assert tx.events["MetadataChanged"]["metadataHash"] == "0x" + digest.hex()
    assert tx.events["MetadataUpdate"]["_tokenId"] == rid  # ERC-4906


def test_update_metadata_by_registrar_succeeds(registry: Any, registrar: Any, file_tm: Callable[..., int]) -> None:
    rid = file_tm()
    tx = registry.updateMetadata(rid, "ipfs://office", b"\x00" * 32, {"from": registrar})
    assert tx.events["MetadataChanged"]["metadataURI"] == "ipfs://office"
    assert tx.events["MetadataUpdate"]["_tokenId"] == rid


def test_token_uri_is_the_office_base_uri_and_the_id_once_the_admin_sets_one(registry: Any, em_admin: Any,
                                                                             file_tm: Callable[..., int]) -> None:
    rid = file_tm()
    assert registry.tokenURI(rid).startswith("data:application/json;base64,")  # rendered on chain by default

    registry.setBaseURI(b"EM", "https://em.example/titles/", {"from": em_admin})

    assert registry.tokenURI(rid) == f"https://em.example/titles/{rid}"


def test_update_metadata_by_stranger_reverts_not_holder_or_registrar(registry: Any, stranger: Any,
                                                                     file_tm: Callable[..., int]) -> None:
    rid = file_tm()
    with brownie.reverts(custom_error("NotHolderOrRegistrar", rid, stranger)):
        registry.updateMetadata(rid, "ipfs://x", b"\x00" * 32, {"from": stranger})


def test_anchor_document_by_anyone_emits_event_with_the_anchorer_s_role(registry: Any, stranger: Any, alice: Any,
                                                                         file_tm: Callable[..., int]) -> None:
    rid = file_tm()
    doc, tag = keccak(text="opposition brief"), b"opposition".ljust(32, b"\x00")

    tx = registry.anchorDocument(rid, doc, tag, {"from": stranger})

    event = tx.events["DocumentAnchored"]
    assert event["rightId"] == rid
    assert event["documentHash"] == "0x" + doc.hex()
    assert event["anchoredBy"] == stranger
    assert event["tag"] == "0x" + tag.hex()
    assert event["role"] == 0  # a third party: proof of existence, no standing
    assert registry.anchorDocument(rid, doc, tag, {"from": alice}).events["DocumentAnchored"]["role"] == 1
    assert not hasattr(registry, "anchorsOf"), "anchors live in events only"


def test_anchor_document_on_unknown_right_reverts_right_not_found(registry: Any, alice: Any) -> None:
    with brownie.reverts(custom_error("RightNotFound", 5)):
        registry.anchorDocument(5, b"\x01" * 32, b"\x00" * 32, {"from": alice})


@pytest.mark.parametrize("overload", ["address,address,uint256", "address,address,uint256,bytes"])
def test_safe_transfer_from_reverts_title_locked(registry: Any, alice: Any, bob: Any, file_tm: Callable[..., int],
                                                 overload: str) -> None:
    rid = file_tm()
    extra = (b"",) if overload.endswith("bytes") else ()
    with brownie.reverts(custom_error("TitleLocked", rid)):
        registry.safeTransferFrom[overload](alice, bob, rid, *extra, {"from": alice})
    assert registry.ownerOf(rid) == alice
