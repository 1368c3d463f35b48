package main

import (
	"context"
	"fmt"

	"github.com/rivery-go/rivery"
)

func versionCommand(_ context.Context, c *cli, args []string) error {
	if _, err := c.parse(c.flags(), args, 0); err != nil {
		return err
	}
	_, err := fmt.Fprintf(c.stdout, "rivery %s (rivery-go %s)\n", rivery.Version, rivery.Version)
	return err
}
