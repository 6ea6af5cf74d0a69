// h5::write_chunks runs the filters of create_extendible itself (shuffle, deflate,
// Fletcher-32) so that chunks can be compressed in parallel: the bytes it stores must be
// the bytes HDF5's own pipeline stores, and every HDF5 reader must read them back (with
// the checksum verified).
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "../support/test_support.hpp"
#include "tribe/io/hdf5.hpp"

namespace {

using namespace tribe;

std::vector<std::uint8_t> raw_chunk(hid_t ds, std::uint64_t offset, std::uint32_t& mask) {
  const hsize_t off = offset;
  hsize_t size = 0;
  EXPECT_GE(H5Dget_chunk_storage_size(ds, &off, &size), 0);
  std::vector<std::uint8_t> bytes(size);
  EXPECT_GE(H5Dread_chunk(ds, H5P_DEFAULT, &off, &mask, bytes.data()), 0);
  return bytes;
}

template <class T>
void check_type(hid_t file, const char* name, hid_t file_type, hid_t mem_type, std::size_t chunk) {
  const std::size_t n = 2 * chunk;
  std::vector<T> values(n);
  for (std::size_t i = 0; i < n; ++i)
    values[i] = static_cast<T>((i * 2654435761u) % 1000) / static_cast<T>(i % 7 + 1);
  const std::string direct = std::string(name) + "_direct",
                    pipeline = std::string(name) + "_pipeline";
  auto a = io::h5::create_extendible(file, direct, file_type, chunk, "test");
  auto b = io::h5::create_extendible(file, pipeline, file_type, chunk, "test");
  io::h5::extend(a.get(), n, "test");
  io::h5::extend(b.get(), n, "test");
  const io::h5::ChunkWrite chunks[] = {{a.get(), mem_type, values.data(), chunk, 0},
                                       {a.get(), mem_type, values.data() + chunk, chunk, chunk}};
  io::h5::write_chunks(chunks, 2, "test");
  io::h5::write_rows(b.get(), mem_type, values.data(), 0, n, "test");
  H5Fflush(file, H5F_SCOPE_GLOBAL);
  for (std::uint64_t off : {std::uint64_t{0}, std::uint64_t{chunk}}) {
    std::uint32_t mask_a = 1, mask_b = 1;
    EXPECT_EQ(raw_chunk(a.get(), off, mask_a), raw_chunk(b.get(), off, mask_b))
        << name << " chunk at " << off;
    EXPECT_EQ(mask_a, 0u);
    EXPECT_EQ(mask_b, 0u);
  }
  std::vector<T> back(n);
  ASSERT_GE(H5Dread(a.get(), mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, back.data()), 0) << name;
  EXPECT_EQ(back, values) << name;
}

TEST(IoHdf5Chunks, DirectChunksAreTheBytesOfHdf5sOwnPipeline) {
  test::TempDir dir;
  const auto path = (dir / "chunks.h5").string();
  io::h5::quiet_errors();
  const hid_t file = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  ASSERT_GE(file, 0);
  check_type<double>(file, "f64", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 4096);
  check_type<std::uint32_t>(file, "u32", H5T_STD_U32LE, H5T_NATIVE_UINT32, 1000);
  check_type<std::uint8_t>(file, "u8", H5T_STD_U8LE, H5T_NATIVE_UINT8,
                           333);  // odd bytes: Fletcher's last byte
  check_type<std::uint64_t>(file, "u64", H5T_STD_U64LE, H5T_NATIVE_UINT64, 777);
  H5Fclose(file);
}

}  // namespace
