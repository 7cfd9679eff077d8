"""The test servers of tests/servers.py: llama-server and llama_cpp.server answer a chat."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests

from tests.servers import STARTER_N_CTX, llama_server
from tests.waits import HANG_TIMEOUT_S

pytest_plugins = ["tests.servers"]
pytestmark = pytest.mark.model

CHAT = {"messages": [{"role": "user", "content": "Say hi"}], "max_tokens": 8}


def _reply(base_url: str) -> str:
    response = requests.post(f"{base_url}/v1/chat/completions", json=CHAT, timeout=HANG_TIMEOUT_S)
    assert response.status_code == 200, response.text
    content = response.json()["choices"][0]["message"]["content"]
    assert isinstance(content, str)
    return content


def test_llama_server_answers_a_chat(llama_server_url: str) -> None:
    assert _reply(llama_server_url).strip()


def test_llama_server_has_the_context_asked_for(llama_server_url: str) -> None:
    # Not the model's own 8192: the one slot has all of --ctx-size.
    props = requests.get(f"{llama_server_url}/props", timeout=HANG_TIMEOUT_S).json()
    assert props["default_generation_settings"]["n_ctx"] == STARTER_N_CTX


def test_llama_cpp_server_answers_a_chat(llama_cpp_server_url: str) -> None:
    assert _reply(llama_cpp_server_url).strip()


def test_a_server_that_ends_while_starting_fails_with_its_output(tmp_path: Path) -> None:
    not_a_model = tmp_path / "notes.gguf"
    not_a_model.write_text("not a GGUF file")
    ended = r"ended \(-?\d+\) before it answered"
    with pytest.raises(RuntimeError, match=ended) as failure, llama_server(not_a_model):
        pass
    assert "notes.gguf" in str(failure.value)  # the server's own words about the file
