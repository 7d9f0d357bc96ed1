"""A rule's log receives Python's logging, print and what C++ libraries write to fd 1 and 2."""

import subprocess
import sys
import textwrap


def test_python_and_file_descriptor_output_reach_the_log(tmp_path, repo):
    log = tmp_path / "job.log"
    code = textwrap.dedent(
        f"""
        import logging, os, sys
        sys.path.insert(0, {str(repo / "src")!r})
        from bsmflow.logs import redirect_to_log
        redirect_to_log({str(log)!r})
        logging.getLogger("stage").info("from logging")
        print("from print")
        os.write(1, b"from fd 1\\n")
        os.write(2, b"from fd 2\\n")
        """
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout == "" and done.stderr == ""  # nothing escapes to the terminal
    text = log.read_text()
    for line in ("INFO stage: from logging", "from print", "from fd 1", "from fd 2"):
        assert line in text, line


def test_the_log_is_truncated_on_each_run(tmp_path, repo):
    log = tmp_path / "job.log"
    log.write_text("an earlier attempt\n")
    code = f"import sys; sys.path.insert(0, {str(repo / 'src')!r}); from bsmflow.logs import redirect_to_log; redirect_to_log({str(log)!r}); print('new')"
    subprocess.run([sys.executable, "-c", code], check=True)
    assert log.read_text() == "new\n"
