// A two-layer MLP (784 -> 64 -> 10) in the octet dialect, as the ONNX
// importer or the builder DSL would produce it. The weights are small splats
// here so the file stays readable; real models use dense_resource blobs.
func.func @mlp(%x: tensor<1x784xf32>) -> tensor<1x10xf32> {
  %w1 = octet.constant dense<0.01> : tensor<64x784xf32>
  %b1 = octet.constant dense<0.1> : tensor<64xf32>
  %w2 = octet.constant dense<0.02> : tensor<10x64xf32>
  %b2 = octet.constant dense<0.0> : tensor<10xf32>
  %flat = octet.reshape %x : tensor<1x784xf32> -> tensor<784xf32>
  %x2 = octet.reshape %flat : tensor<784xf32> -> tensor<1x784xf32>
  %h = octet.gemm %x2, %w1, %b1 {trans_b = true}
      : (tensor<1x784xf32>, tensor<64x784xf32>, tensor<64xf32>) -> tensor<1x64xf32>
  %a = octet.relu %h : tensor<1x64xf32>
  %unused = octet.sigmoid %h : tensor<1x64xf32>
  %y = octet.gemm %a, %w2, %b2 {trans_b = true}
      : (tensor<1x64xf32>, tensor<10x64xf32>, tensor<10xf32>) -> tensor<1x10xf32>
  %p = octet.softmax %y {axis = 1 : i64} : tensor<1x10xf32>
  return %p : tensor<1x10xf32>
}
