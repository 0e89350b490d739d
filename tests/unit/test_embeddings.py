"""Which CPUs get bfloat16 autocast (search_api.core.embeddings.bf16_supported)."""

from __future__ import annotations

from pathlib import Path

from search_api.core.embeddings import bf16_supported, cpu_flags

# /proc/cpuinfo of a Xeon with AVX-512 but no native bf16 (this CI machine's kind)
EMULATED = """processor\t: 0
model name\t: Intel(R) Xeon(R) Processor
flags\t\t: fpu sse2 avx avx2 avx512f avx512bw avx512_vnni

processor\t: 1
flags\t\t: fpu sse2 avx avx2 avx512f avx512bw avx512_vnni
"""
NATIVE = EMULATED.replace("avx512_vnni", "avx512_vnni avx512_bf16 amx_bf16 amx_tile")


def test_cpu_flags_reads_the_first_processor() -> None:
    assert cpu_flags(EMULATED) == {
        "fpu",
        "sse2",
        "avx",
        "avx2",
        "avx512f",
        "avx512bw",
        "avx512_vnni",
    }
    assert cpu_flags("processor\t: 0\n") == set()


def test_bf16_only_where_the_cpu_has_it_natively(tmp_path: Path) -> None:
    emulated, native = tmp_path / "emulated", tmp_path / "native"
    emulated.write_text(EMULATED, encoding="utf-8")
    native.write_text(NATIVE, encoding="utf-8")
    assert not bf16_supported(emulated)  # plain AVX-512: oneDNN would emulate it, slower
    assert bf16_supported(native)
    assert not bf16_supported(tmp_path / "missing")  # not Linux, or no /proc
