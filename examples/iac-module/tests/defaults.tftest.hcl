run "plan" {
  command = plan
  variables {
    name        = "example"
    owner       = "storage"
    cost_center = "cc-1"
  }
}
