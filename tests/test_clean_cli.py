"""`summarizer clean`: print one file, write a folder, explain drops, survive bad files."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_cli

ARTICLES = Path(__file__).parent / "fixtures" / "articles"
GOLDEN = Path(__file__).parent / "fixtures" / "clean"
SEED = ARTICLES / "004_fca63ceb93ec3f39.txt"


def run(
    args: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> tuple[int, str, str]:
    return run_cli(["clean", *args], capsys, monkeypatch)


def test_one_file_prints_the_cleaned_text(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, err = run([str(SEED)], capsys, monkeypatch)
    assert code == 0
    assert out == (GOLDEN / SEED.name).read_text(encoding="utf-8")
    assert err == ""


def test_show_dropped_lists_reasons_on_stderr(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, err = run([str(SEED), "--show-dropped"], capsys, monkeypatch)
    assert code == 0
    assert out == (GOLDEN / SEED.name).read_text(encoding="utf-8")
    for reason in ("donation amount", "duplicate of the headline", "comment section"):
        assert reason in err


def test_out_dir_writes_one_file_per_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    html = tmp_path / "page.html"
    html.write_text(
        "<html><head><title>Water plan passes</title></head><body><article>"
        "<h1>Water plan passes</h1>"
        "<p>The regional council approved the new water plan on Tuesday after a debate that lasted "
        "more than six hours, officials said in a statement to reporters.</p>"
        "<p>Under the plan, three reservoirs will be expanded by 2027, and farmers will pay a "
        "lower rate during the dry months, according to the council's statement.</p>"
        "</article></body></html>",
        encoding="utf-8",
    )
    seeds = sorted(ARTICLES.glob("*.txt"))
    out_dir = tmp_path / "out"
    code, out, _err = run(
        [*map(str, seeds), str(html), "--out-dir", str(out_dir)], capsys, monkeypatch
    )
    assert code == 0
    assert out == ""
    written = sorted(p.name for p in out_dir.iterdir())
    assert written == sorted([*(p.stem + ".txt" for p in seeds), "page.txt"])
    for seed in seeds:
        assert (out_dir / f"{seed.stem}.txt").read_text(encoding="utf-8") == (
            GOLDEN / seed.name
        ).read_text(encoding="utf-8")
    assert "three reservoirs" in (out_dir / "page.txt").read_text(encoding="utf-8")


def test_bad_inputs_fail_alone_and_the_exit_code_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "image.png"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    out_dir = tmp_path / "out"
    args = [
        str(empty),
        str(SEED),
        str(tmp_path / "missing.txt"),
        str(binary),
        "--out-dir",
        str(out_dir),
    ]
    code, _out, err = run(args, capsys, monkeypatch)
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 3
    assert all(line.startswith("summarizer: error: ") for line in lines)
    assert "empty" in err and "binary" in err and "missing.txt" in err
    assert [p.name for p in out_dir.iterdir()] == [f"{SEED.stem}.txt"]


def test_out_dir_refuses_to_overwrite_an_output_of_this_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first, second = tmp_path / "a" / "story.txt", tmp_path / "b" / "story.html"
    first.write_bytes(SEED.read_bytes())
    second.write_text("<html><body><p>Other story, other words.</p></body></html>")
    out_dir = tmp_path / "out"
    code, _out, err = run([str(first), str(second), "--out-dir", str(out_dir)], capsys, monkeypatch)
    assert code == 2
    assert "already written" in err and len(err.strip().splitlines()) == 1
    assert (out_dir / "story.txt").read_text(encoding="utf-8") == (GOLDEN / SEED.name).read_text(
        encoding="utf-8"
    )


def test_show_dropped_explains_a_page_with_nothing_left(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Asked why, a page that cleans to nothing listed nothing: only the one-line error.
    page = tmp_path / "repeats.txt"
    page.write_text("Soldiers attacked the base. Two dead.\n" * 3, encoding="utf-8")
    code, out, err = run([str(page), "--show-dropped"], capsys, monkeypatch)
    assert code == 2
    assert out == ""
    assert "dropped from" in err
    assert "repeats.txt" in err
    assert err.count("repeated line") == 3
    assert err.rstrip().splitlines()[-1].startswith(f"summarizer: error: {page}: no article text")


def test_the_nothing_left_error_survives_a_worker_process() -> None:
    import pickle

    from summarizer.clean import DroppedLine, NoArticleLeftError

    err = NoArticleLeftError("no article text left", [DroppedLine(1, "Home", "menu")])
    back = pickle.loads(pickle.dumps(err))
    assert isinstance(back, NoArticleLeftError)
    assert str(back) == "no article text left"
