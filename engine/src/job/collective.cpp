#include "tribe/job/collective.hpp"

#include <cstdlib>

#ifdef TRIBE_HAVE_MPI
#include <mpi.h>
#endif

namespace tribe::job {

#ifdef TRIBE_HAVE_MPI
namespace {

class MpiWorld final : public Collective {
 public:
  MpiWorld(int& argc, char**& argv) {
    int provided = 0;
    MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &size_);
  }
  ~MpiWorld() override { MPI_Finalize(); }
  int rank() const override { return rank_; }
  int size() const override { return size_; }
  void barrier() override { MPI_Barrier(MPI_COMM_WORLD); }
  bool all(bool ok) override {
    int mine = ok ? 1 : 0, every = 0;
    MPI_Allreduce(&mine, &every, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
    return every == 1;
  }
  int max(int value) override {
    int largest = 0;
    MPI_Allreduce(&value, &largest, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
    return largest;
  }

 private:
  int rank_ = 0, size_ = 1;
};

bool launched_by_mpi() {
  for (const char* v :
       {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK", "PMI_RANK", "MPI_LOCALNRANKS"})
    if (std::getenv(v)) return true;
  return false;
}

}  // namespace

std::unique_ptr<Collective> world(int& argc, char**& argv) {
  if (!launched_by_mpi()) return nullptr;
  return std::make_unique<MpiWorld>(argc, argv);
}

bool built_with_mpi() {
  return true;
}
#else
std::unique_ptr<Collective> world(int&, char**&) {
  return nullptr;
}
bool built_with_mpi() {
  return false;
}
#endif

}  // namespace tribe::job
