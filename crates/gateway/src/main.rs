//! The `tollgate` binary.

/// The allocator of the whole process. Inspecting a large body builds
/// megabytes of per-request state (the subject graph's identifier hashes,
/// its union-find parents) and frees them at the end. The system allocator
/// returned much of that memory to the kernel and took page faults to get
/// it back on the next request. mimalloc keeps it for reuse, so inspection
/// ran 2 to 6% faster on the benchmark corpora (`BENCHMARKS.md`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    gateway::cli::main()
}
