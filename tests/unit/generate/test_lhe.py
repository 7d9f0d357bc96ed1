"""LHE files: a truncated or corrupt file is named in the error."""

import gzip

import pytest

from bsmflow.generate.lhe import check_lhe


def test_truncated_lhe_is_named_in_the_error(signal_lhe, tmp_path):
    directory, _ = signal_lhe
    data = (directory / "a.lhe.gz").read_bytes()
    broken = tmp_path / "broken.lhe.gz"
    broken.write_bytes(data[: len(data) // 2])
    with pytest.raises(ValueError, match="broken.lhe.gz: unreadable LHE file"):
        check_lhe(broken)
    plain = tmp_path / "cut.lhe"
    plain.write_text(gzip.open(directory / "a.lhe.gz", "rt").read()[:5000])
    with pytest.raises(ValueError, match="cut.lhe: truncated LHE file"):
        check_lhe(plain)
