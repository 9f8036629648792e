resource "aws_s3_bucket" "this" {
  bucket = var.name
  tags   = merge(var.tags, { owner = var.owner, cost-center = var.cost_center })
}

resource "aws_s3_bucket_versioning" "this" {
  bucket = aws_s3_bucket.this.id
  versioning_configuration {
    status = "Enabled"
  }
}
