// One import for the whole public API: `import ModelZoo`.
@_exported import ZooAnalysis
@_exported import ZooBlocks
@_exported import ZooGraph
@_exported import ZooIO
@_exported import ZooModels
@_exported import ZooONNX
@_exported import ZooPretrained
@_exported import ZooRuntime
@_exported import ZooTensor
@_exported import ZooText
@_exported import ZooWeights
@_exported import ZooImage
