"""End-to-end tests of mlc-lsp driven by pytest-lsp, a real third-party LSP client."""

import os
import sys

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

SERVER = os.environ.get(
    "MLC_LSP",
    os.path.join(os.path.dirname(__file__), "..", "..", "target", "debug", "mlc-lsp"),
)


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[SERVER]))
async def client(lsp_client: LanguageClient):
    await lsp_client.initialize_session(
        types.InitializeParams(capabilities=types.ClientCapabilities())
    )
    yield
    await lsp_client.shutdown_session()


@pytest.mark.asyncio
async def test_incremental_sync_and_diagnostics(client: LanguageClient, tmp_path):
    uri = (tmp_path / "deploy.mlc").as_uri()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=uri, language_id="mlc", version=1, text="{ a = 1 }\n"
            )
        )
    )
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    assert client.diagnostics[uri], "a missing `;` must be reported"

    # Insert the `;` after "1" (UTF-16 column 7) with an incremental change.
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[
                types.TextDocumentContentChangePartial(
                    range=types.Range(
                        start=types.Position(line=0, character=7),
                        end=types.Position(line=0, character=7),
                    ),
                    text=";",
                )
            ],
        )
    )
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    # Needs the real parser (branch `parser`): the placeholder reports every file.
    assert list(client.diagnostics[uri]) == [], client.diagnostics[uri]
