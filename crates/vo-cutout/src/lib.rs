//! Cutouts of FITS images and cubes (skeleton; being written).
