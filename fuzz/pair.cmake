# Fuzz targets for Pair's parsers of client input: the JWT verifier and the
# collaborative-edit decoder. Included by fuzz/CMakeLists.txt; they link pair_core.
if(TARGET pair_core)
  roost_fuzz_target(fuzz_jwt LIBS pair_core)
  roost_fuzz_target(fuzz_collab_changes LIBS pair_core)
endif()
