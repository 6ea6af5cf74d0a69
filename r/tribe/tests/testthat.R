library(testthat)
library(tribe)
test_check("tribe")
