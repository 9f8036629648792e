variable "name" {
  type        = string
  description = "Bucket name."
}

variable "owner" {
  type        = string
  description = "Team that owns the bucket."
}

variable "cost_center" {
  type        = string
  description = "Cost centre the bucket is billed to."
}

variable "tags" {
  type    = map(string)
  default = {}
}
