package org.safeguarding.hub.sftp;

import java.io.IOException;
import java.nio.file.Path;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.common.session.SessionContext;

/** Each account sees only its own home, {@code <dataDirectory>/sftp/<partnerId>/}, as {@code /}; its folders are made at login. */
final class PartnerHomes extends VirtualFileSystemFactory {
    private final DropFolders folders;

    PartnerHomes(DropFolders folders) {
        this.folders = folders;
    }

    @Override
    public Path getUserHomeDir(SessionContext session) throws IOException {
        String user = session.getUsername();
        if (!DropFolders.isAccountName(user)) {
            throw new IOException("no SFTP home for this account");
        }
        return folders.ensure(user);
    }
}
