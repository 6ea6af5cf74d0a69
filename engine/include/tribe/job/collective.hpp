#pragma once
// The few collective operations a multi-process (MPI) run needs. The engine itself
// knows nothing of MPI: ranks split the blocks of a run like shards, write their
// part files into the shared parts directory, and rank 0 assembles the result.
#include <memory>

namespace tribe::job {

class Collective {
 public:
  virtual ~Collective() = default;
  virtual int rank() const = 0;
  virtual int size() const = 0;
  virtual void barrier() = 0;
  /// True on every rank when `ok` is true on every rank (a collective call).
  virtual bool all(bool ok) = 0;
  /// The largest `value` of any rank, on every rank (a collective call).
  virtual int max(int value) = 0;
};

/// MPI_COMM_WORLD when this build has MPI and the process was started by mpirun/srun
/// (MPI is then initialized here and finalized when the object dies); otherwise null.
std::unique_ptr<Collective> world(int& argc, char**& argv);

/// Whether this build of tribe was compiled with MPI support.
bool built_with_mpi();

}  // namespace tribe::job
