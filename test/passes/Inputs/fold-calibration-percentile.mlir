// Input of octet-fold-calibration.mlir's percentile run.
func.func @percentile(%x: tensor<4xf32>) -> tensor<4xf32> {
  %h = octet.observe %x {name = "hist", kind = #octet.observer<histogram>, bins = 10 : i64} : tensor<4xf32>
  return %h : tensor<4xf32>
}

// -----

func.func @no_histogram(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{observer 'x': the percentile, entropy and mse methods need a histogram observer}}
  %o = octet.observe %x {name = "x"} : tensor<4xf32>
  return %o : tensor<4xf32>
}
